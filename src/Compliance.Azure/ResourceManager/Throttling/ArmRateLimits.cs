namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>
/// The sustained rates Azure documents for the buckets a scan draws from, used to pace requests once a bucket runs low:
/// ARM refills per subscription (reads 25/s, writes and deletes 10/s), Compute per subscription and region (Update VM,
/// which covers Run Command, 500/min; Get Operation 5,000/min; Low Cost Get 8,000/min). The pacer learns downwards
/// from 429s when the real limits are lower, and a 429's <c>Retry-After</c> always wins.
/// </summary>
public sealed record ArmRateLimits
{
    /// <summary>Azure's documented limits.</summary>
    public static ArmRateLimits Azure { get; } = new();

    /// <summary>ARM reads per second per subscription.</summary>
    public double ArmReadsPerSecond { get; init; } = 25;

    /// <summary>ARM writes per second per subscription.</summary>
    public double ArmWritesPerSecond { get; init; } = 10;

    /// <summary>ARM deletes per second per subscription.</summary>
    public double ArmDeletesPerSecond { get; init; } = 10;

    /// <summary>Compute Update VM (Run Command) per second per subscription and region.</summary>
    public double ComputeWritesPerSecond { get; init; } = 500 / 60.0;

    /// <summary>Compute Get Operation (polls) per second per subscription and region.</summary>
    public double ComputePollsPerSecond { get; init; } = 5000 / 60.0;

    /// <summary>Compute Low Cost Get per second per subscription and region.</summary>
    public double ComputeReadsPerSecond { get; init; } = 8000 / 60.0;

    internal double ArmRate(ArmRequestKind kind) => kind switch
    {
        ArmRequestKind.Write => ArmWritesPerSecond,
        ArmRequestKind.Delete => ArmDeletesPerSecond,
        _ => ArmReadsPerSecond,
    };

    internal double ComputeRate(ArmRequestKind kind) => kind switch
    {
        ArmRequestKind.Write or ArmRequestKind.Delete => ComputeWritesPerSecond,
        ArmRequestKind.Poll => ComputePollsPerSecond,
        _ => ComputeReadsPerSecond,
    };
}
