namespace Compliance.Emulator;

/// <summary>
/// The throttling an <see cref="ArmEmulator"/> imposes (<see cref="ArmEmulatorOptions.Limits"/>): Azure Resource
/// Manager's token buckets per subscription, and Microsoft.Compute's per subscription and region and per resource.
/// The defaults are Azure's published limits (learn.microsoft.com: "Understand how Azure Resource Manager throttles
/// requests" and "Compute throttling limits"; PLATFORM.md section 3).
/// </summary>
/// <remarks>
/// <para>
/// ARM: every request after authentication takes a token from the read (GET, HEAD), write (PUT, PATCH, POST, so
/// also the <c>runCommand</c> action) or delete (DELETE) bucket of its subscription, or of the tenant when its path
/// names no subscription (<c>/subscriptions</c>). Microsoft.Compute: Run Command on a VM or scale-set VM takes from
/// <see cref="UpdateVM"/>; a GET of one VM, its instance view, one scale-set VM or its instance view from
/// <see cref="LowCostGet"/>; a list of the VMs of a subscription or resource group, of scale sets, or of a scale
/// set's VMs from <see cref="HighCostGet"/>; an operation poll from <see cref="GetOperation"/>. The region is the
/// resource's location (a resource group's for its lists, the URL's <c>locations/{location}</c> for polls;
/// subscription-wide lists share one bucket per subscription). Cloud Services, subscriptions and resource groups
/// count against ARM only, as do requests for resources the fleet does not have.
/// </para>
/// <para>
/// A request takes one token from every bucket it needs, or none: when any is empty it gets 429 with
/// <c>Retry-After</c> and is not processed.
/// </para>
/// </remarks>
public sealed class RateLimitOptions
{
    /// <summary>ARM reads per subscription (and per tenant).</summary>
    /// <value>250 tokens, 25 a second.</value>
    public TokenBucketLimit Reads { get; set; } = TokenBucketLimit.PerSecond(250, 25);

    /// <summary>ARM writes (PUT, PATCH, POST actions) per subscription (and per tenant).</summary>
    /// <value>200 tokens, 10 a second.</value>
    public TokenBucketLimit Writes { get; set; } = TokenBucketLimit.PerSecond(200, 10);

    /// <summary>ARM deletes per subscription (and per tenant).</summary>
    /// <value>200 tokens, 10 a second.</value>
    public TokenBucketLimit Deletes { get; set; } = TokenBucketLimit.PerSecond(200, 10);

    /// <summary>Compute's "Update VM" policy, which covers Run Command on VMs and scale-set VMs.</summary>
    /// <value>Per subscription and region 1,500 tokens, 500 a minute; per VM 12 tokens, 4 a minute.</value>
    public ComputePolicyLimit UpdateVM { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(1500, 500),
        Resource = TokenBucketLimit.PerMinute(12, 4),
    };

    /// <summary>Compute's "Low Cost Get" policy: a GET of one VM or scale-set VM, or of its instance view.</summary>
    /// <value>Per subscription and region 24,000 tokens, 8,000 a minute; per VM 36 tokens, 12 a minute.</value>
    public ComputePolicyLimit LowCostGet { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(24000, 8000),
        Resource = TokenBucketLimit.PerMinute(36, 12),
    };

    /// <summary>Compute's "High Cost Get" policy: lists of VMs, of scale sets and of a scale set's VMs.</summary>
    /// <value>Per subscription and region 900 tokens, 300 a minute; no per-resource bucket.</value>
    public ComputePolicyLimit HighCostGet { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(900, 300),
    };

    /// <summary>Compute's "Get Operation" policy: polls of an asynchronous operation.</summary>
    /// <value>Per subscription and region 15,000 tokens, 5,000 a minute; no per-resource bucket.</value>
    public ComputePolicyLimit GetOperation { get; set; } = new()
    {
        Subscription = TokenBucketLimit.PerMinute(15000, 5000),
    };

    /// <summary>A copy, so that changing the options after the start does not affect a running emulator.</summary>
    internal RateLimitOptions Copy() => new()
    {
        Reads = Reads,
        Writes = Writes,
        Deletes = Deletes,
        UpdateVM = new() { Subscription = UpdateVM.Subscription, Resource = UpdateVM.Resource },
        LowCostGet = new() { Subscription = LowCostGet.Subscription, Resource = LowCostGet.Resource },
        HighCostGet = new() { Subscription = HighCostGet.Subscription, Resource = HighCostGet.Resource },
        GetOperation = new() { Subscription = GetOperation.Subscription, Resource = GetOperation.Resource },
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
    }

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
