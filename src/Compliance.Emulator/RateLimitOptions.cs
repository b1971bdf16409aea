namespace Compliance.Emulator;

/// <summary>
/// The throttling an <see cref="ArmEmulator"/> imposes (<see cref="ArmEmulatorOptions.Limits"/>): Azure Resource
/// Manager's token buckets per subscription, and Microsoft.Compute's per subscription and region and per resource.
/// The defaults are Azure's published limits (learn.microsoft.com: "Understand how Azure Resource Manager throttles
/// requests" and "Compute throttling limits", whose tables give each policy's bucket refill rate and maximum capacity
/// per minute; PLATFORM.md section 3).
/// </summary>
/// <remarks>
/// <para>
/// ARM: every request after authentication takes a token from the read (GET, HEAD), write (PUT, PATCH, POST, so
/// also the <c>runCommand</c> action) or delete (DELETE) bucket of its subscription, or of the tenant when its path
/// names no subscription (<c>/subscriptions</c>).
/// </para>
/// <para>
/// Microsoft.Compute, by the tables of "Compute throttling limits" (virtual machines, scale sets, scale-set VMs):
/// </para>
/// <list type="bullet">
/// <item><description>Run Command on a VM: <see cref="UpdateVM"/>; on a scale-set VM: <see cref="UpdateScaleSetVM"/>.</description></item>
/// <item><description>A GET of one VM or its instance view: <see cref="LowCostGet"/>; of one scale-set VM or its instance view: <see cref="GetScaleSetVM"/>.</description></item>
/// <item><description>A list of the VMs of a subscription or resource group: <see cref="HighCostGet"/> (subscription bucket only).</description></item>
/// <item><description>A GET of one scale set: <see cref="ScaleSetLowCostGet"/>.</description></item>
/// <item><description>
/// A list of the scale sets of a subscription or resource group: <see cref="ScaleSetHighCostGet"/>, subscription bucket
/// only; a scale set's instance view or the list of its VMs: the same policy, also from the scale set's own bucket.
/// </description></item>
/// <item><description>An operation poll: <see cref="GetOperation"/>, also from the bucket of the resource the operation acts on.</description></item>
/// </list>
/// <para>
/// The region is the resource's location (a resource group's for its lists, the URL's <c>locations/{location}</c>
/// for polls; subscription-wide lists share one bucket per subscription). Cloud Services, subscriptions and resource
/// groups count against ARM only, as do requests for resources the fleet does not have.
/// </para>
/// <para>
/// A request takes one token from every bucket it needs, or none: when any is empty it gets 429 with
/// <c>Retry-After</c> and is not processed. Every answer carries the remaining counts
/// (<c>x-ms-ratelimit-remaining-subscription-reads|writes|deletes</c> and <c>x-ms-ratelimit-remaining-resource</c>).
/// </para>
/// </remarks>
public sealed class RateLimitOptions
{
    /// <summary>Azure's published limits: what the headers report when the emulator throttles nothing.</summary>
    internal static RateLimitOptions Azure { get; } = new();

    /// <summary>ARM reads per subscription (and per tenant).</summary>
    /// <value>250 tokens, 25 a second.</value>
    public TokenBucketLimit Reads { get; set; } = TokenBucketLimit.PerSecond(250, 25);

    /// <summary>ARM writes (PUT, PATCH, POST actions) per subscription (and per tenant).</summary>
    /// <value>200 tokens, 10 a second.</value>
    public TokenBucketLimit Writes { get; set; } = TokenBucketLimit.PerSecond(200, 10);

    /// <summary>ARM deletes per subscription (and per tenant).</summary>
    /// <value>200 tokens, 10 a second.</value>
    public TokenBucketLimit Deletes { get; set; } = TokenBucketLimit.PerSecond(200, 10);

    /// <summary>Compute's "Update VM" policy, which covers Run Command on VMs.</summary>
    /// <value>Per subscription and region 1,500 tokens, 500 a minute; per VM 12 tokens, 4 a minute.</value>
    public ComputePolicyLimit UpdateVM { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(1500, 500),
        Resource = TokenBucketLimit.PerMinute(12, 4),
    };

    /// <summary>Compute's "Low Cost Get VM" policy: a GET of one VM or of its instance view.</summary>
    /// <value>Per subscription and region 24,000 tokens, 8,000 a minute; per VM 36 tokens, 12 a minute.</value>
    public ComputePolicyLimit LowCostGet { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(24000, 8000),
        Resource = TokenBucketLimit.PerMinute(36, 12),
    };

    /// <summary>Compute's "High Cost Get VM" policy: lists of VMs.</summary>
    /// <value>Per subscription and region 900 tokens, 300 a minute; no per-resource bucket.</value>
    public ComputePolicyLimit HighCostGet { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(900, 300),
    };

    /// <summary>Compute's "Get Operation" policy: polls of an asynchronous operation.</summary>
    /// <value>
    /// Per subscription and region 15,000 tokens, 5,000 a minute; per resource the operation acts on (the VM of a Run
    /// Command) 45 tokens, 15 a minute.
    /// </value>
    public ComputePolicyLimit GetOperation { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(15000, 5000),
        Resource = TokenBucketLimit.PerMinute(45, 15),
    };

    /// <summary>Compute's "Update scale set VMs" policy, which covers Run Command on scale-set VMs.</summary>
    /// <value>Per subscription and region 1,500 tokens, 500 a minute; per scale-set VM 12 tokens, 4 a minute.</value>
    public ComputePolicyLimit UpdateScaleSetVM { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(1500, 500),
        Resource = TokenBucketLimit.PerMinute(12, 4),
    };

    /// <summary>Compute's "Get scale set VMs" policy: a GET of one scale-set VM or of its instance view.</summary>
    /// <value>Per subscription and region 6,000 tokens, 2,000 a minute; per scale-set VM 36 tokens, 12 a minute.</value>
    public ComputePolicyLimit GetScaleSetVM { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(6000, 2000),
        Resource = TokenBucketLimit.PerMinute(36, 12),
    };

    /// <summary>Compute's scale-set "Low Cost Get" policy: a GET of one scale set.</summary>
    /// <value>Per subscription and region 2,400 tokens, 800 a minute; per scale set 36 tokens, 12 a minute.</value>
    public ComputePolicyLimit ScaleSetLowCostGet { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(2400, 800),
        Resource = TokenBucketLimit.PerMinute(36, 12),
    };

    /// <summary>
    /// Compute's scale-set "High Cost Get" policy: lists of scale sets (subscription bucket only), and a scale set's
    /// instance view or the list of its VMs (also the scale set's bucket).
    /// </summary>
    /// <value>Per subscription and region 1,080 tokens, 360 a minute; per scale set 30 tokens, 10 a minute.</value>
    public ComputePolicyLimit ScaleSetHighCostGet { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(1080, 360),
        Resource = TokenBucketLimit.PerMinute(30, 10),
    };

    /// <summary>A copy, so that changing the options after the start does not affect a running emulator.</summary>
    internal RateLimitOptions Copy() => new()
    {
        Reads = Reads,
        Writes = Writes,
        Deletes = Deletes,
        UpdateVM = Copy(UpdateVM),
        LowCostGet = Copy(LowCostGet),
        HighCostGet = Copy(HighCostGet),
        GetOperation = Copy(GetOperation),
        UpdateScaleSetVM = Copy(UpdateScaleSetVM),
        GetScaleSetVM = Copy(GetScaleSetVM),
        ScaleSetLowCostGet = Copy(ScaleSetLowCostGet),
        ScaleSetHighCostGet = Copy(ScaleSetHighCostGet),
    };

    internal void Validate(string paramName)
    {
        CheckBucket(Reads, nameof(Reads), paramName);
        CheckBucket(Writes, nameof(Writes), paramName);
        CheckBucket(Deletes, nameof(Deletes), paramName);
        CheckPolicy(UpdateVM, nameof(UpdateVM), paramName);
        CheckPolicy(LowCostGet, nameof(LowCostGet), paramName);
        CheckPolicy(HighCostGet, nameof(HighCostGet), paramName);
        CheckPolicy(GetOperation, nameof(GetOperation), paramName);
        CheckPolicy(UpdateScaleSetVM, nameof(UpdateScaleSetVM), paramName);
        CheckPolicy(GetScaleSetVM, nameof(GetScaleSetVM), paramName);
        CheckPolicy(ScaleSetLowCostGet, nameof(ScaleSetLowCostGet), paramName);
        CheckPolicy(ScaleSetHighCostGet, nameof(ScaleSetHighCostGet), paramName);
    }

    private static ComputePolicyLimit Copy(ComputePolicyLimit policy) => new() { Subscription = policy.Subscription, Resource = policy.Resource };

    private static void CheckBucket(TokenBucketLimit? limit, string name, string paramName)
    {
        if (limit is null)
        {
            throw new ArgumentException($"The limit '{name}' must be set.", paramName);
        }

        limit.Validate(name, paramName);
    }

    private static void CheckPolicy(ComputePolicyLimit? policy, string name, string paramName)
    {
        if (policy is null)
        {
            throw new ArgumentException($"The policy '{name}' must be set.", paramName);
        }

        CheckBucket(policy.Subscription, $"{name}.Subscription", paramName);
        policy.Resource?.Validate($"{name}.Resource", paramName);
    }
}
