namespace Compliance.Emulator;

/// <summary>
/// The buckets of one Microsoft.Compute throttling policy (PLATFORM.md 3.2): one per subscription and region, and
/// optionally one per resource (a VM, scale-set VM or scale set, or the resource an operation acts on). A request the policy covers takes a token from both.
/// </summary>
public sealed class ComputePolicyLimit
{
    /// <summary>The bucket shared by every resource of a subscription in one region; required.</summary>
    public required TokenBucketLimit Subscription { get; set; }

    /// <summary>The bucket of each resource; <see langword="null"/> when the policy has none.</summary>
    public TokenBucketLimit? Resource { get; set; }
}
