using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Compliance.Core.Scanning;

/// <summary>
/// Counts the resource events handled, by what they called for and, when ignored, why: the metric
/// <c>compliance.resource_events</c> (meter <c>Compliance.Events</c>, tags <c>decision</c> and <c>ignored</c>), and the
/// same counts in memory for this process. An operator sees whether events arrive and whether the filter lets through
/// much that is ignored.
/// </summary>
public sealed class ResourceChangeCounters
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Compliance.Events";

    private readonly Counter<long> _events;
    private readonly ConcurrentDictionary<(ResourceChangeDecision, ResourceChangeIgnoreKind), long> _counts = new();

    /// <summary>Creates the counters, on the host's meter factory when it has one.</summary>
    public ResourceChangeCounters(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _events = meter.CreateCounter<long>("compliance.resource_events", unit: "{event}", description: "Resource events handled, by decision and, when ignored, why.");
    }

    /// <summary>Counts one event.</summary>
    public void Add(ResourceChangeDecisionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _counts.AddOrUpdate((result.Decision, result.IgnoreKind), 1, (_, count) => count + 1);
        _events.Add(1, new KeyValuePair<string, object?>("decision", result.Decision.ToString()), new KeyValuePair<string, object?>("ignored", result.IgnoreKind.ToString()));
    }

    /// <summary>How many events this process counted with <paramref name="decision"/> (and, for ignored ones, <paramref name="ignored"/>).</summary>
    public long Count(ResourceChangeDecision decision, ResourceChangeIgnoreKind ignored = ResourceChangeIgnoreKind.None) =>
        _counts.TryGetValue((decision, ignored), out var count) ? count : 0;
}
