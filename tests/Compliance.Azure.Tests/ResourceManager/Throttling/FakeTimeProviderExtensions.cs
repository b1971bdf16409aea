using Microsoft.Extensions.Time.Testing;

namespace Compliance.Azure.Tests.ResourceManager.Throttling;

internal static class FakeTimeProviderExtensions
{
    /// <summary>
    /// Advances in small steps, letting the waits that timers end continue (on the thread pool) and wait again between
    /// steps, as they would while real time passes; one <see cref="FakeTimeProvider.Advance(TimeSpan)"/> would move
    /// past the timers they have not set yet.
    /// </summary>
    public static async Task AdvanceInStepsAsync(this FakeTimeProvider clock, TimeSpan by)
    {
        var step = TimeSpan.FromMilliseconds(25);
        for (var moved = TimeSpan.Zero; moved < by; moved += step)
        {
            clock.Advance(by - moved < step ? by - moved : step);
            await Task.Delay(5);
        }
    }
}
