namespace Compliance.Emulator;

/// <summary>
/// The size and refill rate of one token bucket: a request takes a token; <see cref="RefillTokens"/> tokens come back
/// every <see cref="RefillInterval"/>, continuously (a fraction at a time), up to <see cref="Capacity"/>. Measured
/// on the emulator's <see cref="ArmEmulatorOptions.TimeProvider"/>.
/// </summary>
/// <param name="Capacity">The burst: how many tokens the bucket holds when full (1 to 1,000,000); it starts full.</param>
/// <param name="RefillTokens">How many tokens come back per <paramref name="RefillInterval"/> (1 to 1,000,000).</param>
/// <param name="RefillInterval">The interval of <paramref name="RefillTokens"/>, e.g. one second or one minute; more than 0 and at most a day.</param>
public sealed record TokenBucketLimit(int Capacity, int RefillTokens, TimeSpan RefillInterval)
{
    // Keeps the bucket's fixed-point arithmetic (tokens times interval ticks) inside a long.
    private const int MaxTokens = 1_000_000;

    /// <summary>A bucket of <paramref name="capacity"/> tokens refilled at <paramref name="perSecond"/> tokens a second (ARM's unit).</summary>
    public static TokenBucketLimit PerSecond(int capacity, int perSecond) => new(capacity, perSecond, TimeSpan.FromSeconds(1));

    /// <summary>A bucket of <paramref name="capacity"/> tokens refilled at <paramref name="perMinute"/> tokens a minute (Compute's unit).</summary>
    public static TokenBucketLimit PerMinute(int capacity, int perMinute) => new(capacity, perMinute, TimeSpan.FromMinutes(1));

    internal void Validate(string name, string paramName)
    {
        if (Capacity is < 1 or > MaxTokens || RefillTokens is < 1 or > MaxTokens || RefillInterval <= TimeSpan.Zero || RefillInterval > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"The limit '{name}' needs a capacity and refill between 1 and 1,000,000 and a refill interval between 0 (excluded) and one day, not {this}.", paramName);
        }
    }
}
