namespace Compliance.Testing;

/// <summary>Waits for what a system under test does in the background.</summary>
public static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> holds, checking every 10 ms; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Waited {timeout.TotalSeconds:0.#} s for {what}.");
            await Task.Delay(10);
        }
    }
}
