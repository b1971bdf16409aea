namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>
/// The sustained rates Azure documents for the buckets a scan draws from, used to pace requests once a bucket runs low:
/// ARM refills per subscription (reads 25/s, writes and deletes 10/s), Compute per subscription and region, per
/// policy ("Compute throttling limits": Update VM and Update scale set VMs, which cover Run Command, 500/min each; Get
/// Operation 5,000/min; Low Cost Get VM 8,000/min; Get scale set VMs 2,000/min; High Cost Get VM 300/min; the scale
/// sets' Low Cost Get 800/min and High Cost Get 360/min). The pacer learns downwards from 429s when the real limits are
/// lower, and a 429's <c>Retry-After</c> always wins.
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

    /// <summary>Compute High Cost Get VM (lists of VMs) per second per subscription and region.</summary>
    public double ComputeListsPerSecond { get; init; } = 300 / 60.0;

    /// <summary>Compute Update scale set VMs (Run Command on a scale-set VM) per second per subscription and region.</summary>
    public double ComputeScaleSetVmWritesPerSecond { get; init; } = 500 / 60.0;

    /// <summary>Compute Get scale set VMs (one scale-set VM or its instance view) per second per subscription and region.</summary>
    public double ComputeScaleSetVmReadsPerSecond { get; init; } = 2000 / 60.0;

    /// <summary>Compute's scale-set Low Cost Get (one scale set) per second per subscription and region.</summary>
    public double ComputeScaleSetReadsPerSecond { get; init; } = 800 / 60.0;

    /// <summary>Compute's scale-set High Cost Get (lists of scale sets and of a scale set's VMs) per second per subscription and region.</summary>
    public double ComputeScaleSetListsPerSecond { get; init; } = 360 / 60.0;

    internal double ArmRate(ArmRequestKind kind) => kind switch
    {
        ArmRequestKind.Write => ArmWritesPerSecond,
        ArmRequestKind.Delete => ArmDeletesPerSecond,
        _ => ArmReadsPerSecond,
    };

    internal double ComputeRate(ComputePolicy policy) => policy switch
    {
        ComputePolicy.UpdateVM => ComputeWritesPerSecond,
        ComputePolicy.GetOperation => ComputePollsPerSecond,
        ComputePolicy.HighCostGetVM => ComputeListsPerSecond,
        ComputePolicy.UpdateScaleSetVM => ComputeScaleSetVmWritesPerSecond,
        ComputePolicy.GetScaleSetVM => ComputeScaleSetVmReadsPerSecond,
        ComputePolicy.ScaleSetLowCostGet => ComputeScaleSetReadsPerSecond,
        ComputePolicy.ScaleSetHighCostGet => ComputeScaleSetListsPerSecond,
        _ => ComputeReadsPerSecond,
    };
}
