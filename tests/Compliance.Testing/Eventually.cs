namespace Compliance.Testing;

/// <summary>Waits for what a system under test does in the background.</summary>
public static class Eventually
{
    // Conditions that ask a store or a queue cost a request each; looking less often keeps Azurite free for the app.
    private static readonly TimeSpan _remoteInterval = TimeSpan.FromMilliseconds(50);

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

    /// <summary>
    /// Returns once <paramref name="condition"/> (a question to a store or a queue) holds, checking every 50 ms; fails
    /// the test after <paramref name="timeout"/>.
    /// </summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Waited {timeout.TotalSeconds:0.#} s for {what}.");
            await Task.Delay(_remoteInterval);
        }
    }
}
