namespace Compliance.Core.Tests.TestData;

/// <summary>Where the tests' clocks start, so that data written against it lines up.</summary>
public static class TestTime
{
    public static DateTimeOffset Start { get; } = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
}
