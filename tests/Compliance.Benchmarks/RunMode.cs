namespace Compliance.Benchmarks;

/// <summary>How a scan run drives ARM.</summary>
internal enum RunMode
{
    /// <summary>The product as shipped: paced to the limits ARM and Compute report, fanned out in interleaved batches.</summary>
    Paced,

    /// <summary>Baseline: one machine at a time.</summary>
    OneAtATime,

    /// <summary>Baseline: a fixed number of machines at a time, ignoring the limits (429s are only retried, as SDKs do).</summary>
    FixedParallelism,
}
