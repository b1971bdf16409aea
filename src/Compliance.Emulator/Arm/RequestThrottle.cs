namespace Compliance.Emulator.Arm;

/// <summary>
/// Azure's throttling: token buckets per tenant, subscription, subscription and region, and resource, created when
/// first needed. A request takes one token from every bucket it needs, or, when any is empty, none.
/// </summary>
internal sealed class RequestThrottle(TimeProvider timeProvider)
{
    // One lock over every bucket makes the all-or-nothing take atomic; each take is a handful of dictionary look-ups.
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TokenBucket> _buckets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _throttledByPolicy = new(StringComparer.Ordinal);
    private int _throttled;

    public int Throttled
    {
        get
        {
            lock (_lock)
            {
                return _throttled;
            }
        }
    }

    public IReadOnlyDictionary<string, int> ThrottledByPolicy
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, int>(_throttledByPolicy, StringComparer.Ordinal);
            }
        }
    }

    public ThrottleVerdict TryTake(RequestCost cost)
    {
        lock (_lock)
        {
            var now = timeProvider.GetUtcNow();
            var arm = Bucket(cost.Arm, now);
            if (!arm.HasToken)
            {
                // ARM's front door refuses before the request reaches the resource provider.
                return Refuse(cost.Arm, arm, [arm, .. cost.Compute.Select(d => Bucket(d, now))], arm.Remaining, [], now);
            }

            var compute = new TokenBucket[cost.Compute.Count];
            BucketDemand? culprit = null;
            TokenBucket? culpritBucket = null;
            for (var i = 0; i < compute.Length; i++)
            {
                compute[i] = Bucket(cost.Compute[i], now);
                if (!compute[i].HasToken && (culpritBucket is null || compute[i].UntilToken > culpritBucket.UntilToken))
                {
                    culprit = cost.Compute[i];
                    culpritBucket = compute[i];
                }
            }

            if (culprit is not null && culpritBucket is not null)
            {
                return Refuse(culprit, culpritBucket, compute, arm.Remaining, Remaining(cost, compute), now);
            }

            arm.Take();
            foreach (var bucket in compute)
            {
                bucket.Take();
            }

            return new ThrottleVerdict(true, arm.Remaining, Remaining(cost, compute), null, TimeSpan.Zero, now, 0);
        }
    }

    private static (string Policy, long Remaining)[] Remaining(RequestCost cost, TokenBucket[] compute)
    {
        var remaining = new (string, long)[compute.Length];
        for (var i = 0; i < compute.Length; i++)
        {
            remaining[i] = (cost.Compute[i].Policy, compute[i].Remaining);
        }

        return remaining;
    }

    private ThrottleVerdict Refuse(BucketDemand culprit, TokenBucket culpritBucket, IEnumerable<TokenBucket> needed, long armRemaining, (string, long)[] computeRemaining, DateTimeOffset now)
    {
        // The request can only pass once every bucket it needs has a token again.
        var retryAfter = needed.Max(b => b.UntilToken);
        culpritBucket.Refuse();
        _throttled++;
        _throttledByPolicy[culprit.Policy] = _throttledByPolicy.GetValueOrDefault(culprit.Policy) + 1;
        return new ThrottleVerdict(false, armRemaining, computeRemaining, culprit, retryAfter, now, culprit.Limit.Capacity + culpritBucket.RefusedInARow);
    }

    private TokenBucket Bucket(BucketDemand demand, DateTimeOffset now)
    {
        if (!_buckets.TryGetValue(demand.Key, out var bucket))
        {
            bucket = new TokenBucket(demand.Limit, now);
            _buckets[demand.Key] = bucket;
        }

        bucket.Refill(now);
        return bucket;
    }
}
