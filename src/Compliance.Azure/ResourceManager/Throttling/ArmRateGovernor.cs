using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Core;

namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>
/// Keeps one pacer per bucket a request draws from: ARM's per subscription and kind, and Compute's per subscription,
/// region and policy (<see cref="ComputePolicy"/>: scale-set VMs, scale sets and VMs have buckets of their own). Buckets are recognised the way Azure reports them: ARM's
/// <c>x-ms-ratelimit-remaining-subscription-{reads|writes|deletes}</c> headers and Compute's
/// <c>x-ms-ratelimit-remaining-resource: Microsoft.Compute/&lt;policy&gt;;&lt;n&gt;</c> values. The region of a request comes
/// from its URL (<c>locations/{region}</c>) or, for calls on a machine, from the message property
/// <see cref="RegionProperty"/> that the caller sets.
/// </summary>
internal sealed class ArmRateGovernor(ArmRateLimits limits, TimeProvider time)
{
    /// <summary>The <see cref="HttpMessage"/> property that names the region of the resource a request acts on.</summary>
    public const string RegionProperty = "compliance.region";

    private readonly ConcurrentDictionary<string, IRequestPacer> _pacers = new(StringComparer.OrdinalIgnoreCase);

    public TimeProvider Time => time;

    /// <summary>What a request is: its kind and the buckets it draws from.</summary>
    public ArmRequest Classify(HttpMessage message)
    {
        var request = message.Request;
        var path = request.Uri.Path;
        var kind = request.Method == RequestMethod.Get
            ? path.Contains("/operations/", StringComparison.OrdinalIgnoreCase) ? ArmRequestKind.Poll : ArmRequestKind.Read
            : request.Method == RequestMethod.Delete ? ArmRequestKind.Delete : ArmRequestKind.Write;

        var subscription = Segment(path, "subscriptions") ?? string.Empty;
        var armKind = kind switch
        {
            ArmRequestKind.Write => "writes",
            ArmRequestKind.Delete => "deletes",
            _ => "reads",
        };
        var arm = _pacers.GetOrAdd($"arm/{subscription}/{armKind}", _ => new OrderedPacer(new BudgetPacer(limits.ArmRate(kind), time)));

        IRequestPacer? compute = null;
        if (path.Contains("/providers/Microsoft.Compute/", StringComparison.OrdinalIgnoreCase))
        {
            var region = Segment(path, "locations")
                ?? (message.TryGetProperty(RegionProperty, out var value) ? value as string : null)
                ?? string.Empty;
            var policy = PolicyOf(kind, path);
            compute = _pacers.GetOrAdd($"compute/{subscription}/{region}/{policy}", _ => new OrderedPacer(new RatePacer(limits.ComputeRate(policy), time)));
        }

        return new ArmRequest(kind, arm, compute);
    }

    /// <summary>
    /// The Compute policy of a request, from its URL: scale-set VMs, scale sets and VMs each have their own buckets
    /// (the policy names of <c>x-ms-ratelimit-remaining-resource</c> are not documented, so the URL decides).
    /// </summary>
    internal static ComputePolicy PolicyOf(ArmRequestKind kind, string path)
    {
        if (kind == ArmRequestKind.Poll)
        {
            return ComputePolicy.GetOperation;
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var provider = Array.FindIndex(parts, p => p.Equals("Microsoft.Compute", StringComparison.OrdinalIgnoreCase));
        var rest = provider >= 0 ? parts.AsSpan(provider + 1) : [];
        var read = kind == ArmRequestKind.Read;
        return rest switch
        {
            [var type, _, var instances, _, ..] when Is(type, "virtualMachineScaleSets") && Is(instances, "virtualMachines") =>
                read ? ComputePolicy.GetScaleSetVM : ComputePolicy.UpdateScaleSetVM,
            [var type] when Is(type, "virtualMachineScaleSets") => ComputePolicy.ScaleSetHighCostGet,
            [var type, _, var view] when read && Is(type, "virtualMachineScaleSets") && (Is(view, "virtualMachines") || Is(view, "instanceView")) =>
                ComputePolicy.ScaleSetHighCostGet,
            [var type, _] when read && Is(type, "virtualMachineScaleSets") => ComputePolicy.ScaleSetLowCostGet,
            [var type] when read && Is(type, "virtualMachines") => ComputePolicy.HighCostGetVM,
            _ => read ? ComputePolicy.LowCostGetVM : ComputePolicy.UpdateVM,
        };
    }

    /// <summary>Waits until every bucket of <paramref name="request"/> may take it.</summary>
    public async ValueTask<ArmTickets> AcquireAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var arm = await request.Arm.WaitAsync(cancellationToken).ConfigureAwait(false);
        var compute = request.Compute is { } pacer ? await pacer.WaitAsync(cancellationToken).ConfigureAwait(false) : default;
        return new ArmTickets(arm, compute);
    }

    /// <summary>Takes in the remaining counts of an answer, and, for a 429, holds the bucket that refused it.</summary>
    public void Observe(ArmRequest request, ArmTickets tickets, Response? response)
    {
        var arm = response is null ? null : ArmRemaining(response);
        var compute = response is null ? null : ComputeRemaining(response);
        request.Arm.Observe(tickets.Arm, arm);
        request.Compute?.Observe(tickets.Compute, compute);
        if (response?.Status != 429)
        {
            return;
        }

        var retryAfter = RetryAfter(response) ?? TimeSpan.FromSeconds(1);
        // The bucket whose remaining count is 0 is the one that refused; when neither says so, both are held.
        var computeTripped = compute == 0 && request.Compute is not null;
        var armTripped = arm == 0 || !computeTripped;
        if (armTripped)
        {
            request.Arm.Throttled(tickets.Arm, retryAfter);
        }

        if (request.Compute is { } held && (computeTripped || arm != 0))
        {
            held.Throttled(tickets.Compute, retryAfter);
        }
    }

    /// <summary>The wait a response asks for.</summary>
    public TimeSpan? RetryAfter(Response response) => Throttling.RetryAfter.Of(response, time.GetUtcNow());

    private static int? ArmRemaining(Response response)
    {
        int? lowest = null;
        foreach (var name in new[] { "x-ms-ratelimit-remaining-subscription-reads", "x-ms-ratelimit-remaining-subscription-writes", "x-ms-ratelimit-remaining-subscription-deletes" })
        {
            if (response.Headers.TryGetValue(name, out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining))
            {
                lowest = Math.Min(lowest ?? int.MaxValue, remaining);
            }
        }

        return lowest;
    }

    // "Microsoft.Compute/UpdateVM3Min;159,Microsoft.Compute/UpdateVM30Min;1297" (one header or several): the lowest count.
    private static int? ComputeRemaining(Response response)
    {
        if (!response.Headers.TryGetValues("x-ms-ratelimit-remaining-resource", out var values))
        {
            return null;
        }

        int? lowest = null;
        foreach (var entry in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var separator = entry.LastIndexOf(';');
            if (separator > 0 && int.TryParse(entry.AsSpan(separator + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining))
            {
                lowest = Math.Min(lowest ?? int.MaxValue, remaining);
            }
        }

        return lowest;
    }

    private static bool Is(string segment, string expected) => segment.Equals(expected, StringComparison.OrdinalIgnoreCase);

    private static string? Segment(string path, string name)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.FindIndex(parts, p => p.Equals(name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 && index + 1 < parts.Length ? Uri.UnescapeDataString(parts[index + 1]) : null;
    }
}
