namespace Compliance.Core.Tests.TestData;

/// <summary>A clock that stands still unless a test moves it.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public static FixedTimeProvider Default() => new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => Now;
}
