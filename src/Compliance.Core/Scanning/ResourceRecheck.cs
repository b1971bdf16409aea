using System.Text.Json;

namespace Compliance.Core.Scanning;

/// <summary>
/// A pending re-check of one resource: the message of the re-check queue, sent when an event finds no re-check of the
/// resource pending. The lease (name and version) is the pending mark; the re-check gives it back first.
/// </summary>
/// <param name="ResourceId">The resource to read from ARM and judge again (or forget, when ARM answers 404); a scale set stands for each of its instances.</param>
/// <param name="Lease">The version of the pending mark it took (<see cref="Storage.StoreLease.ETag"/>).</param>
/// <param name="LeaseExpiresAt">When the pending mark runs out, should the re-check never come.</param>
/// <param name="EventId">The event that scheduled it, for logs.</param>
public sealed record ResourceRecheck(string ResourceId, string Lease, DateTimeOffset LeaseExpiresAt, string EventId)
{
    private static readonly JsonSerializerOptions _options = new(JsonSerializerDefaults.Web) { MaxDepth = 4 };

    /// <summary>
    /// Which try this is: 0 for the one an event (or a scale set's fan-out) scheduled, then 1, 2, … for the retries of a
    /// machine found still settling (<see cref="Queues.ResourceChangeQueueOptions.SettleRetries"/>).
    /// </summary>
    public int Attempt { get; init; }

    /// <summary>
    /// When it was scheduled. A scale set's fan-out skips an instance checked since: the event comes once the operation
    /// is done, so a check after it saw the change. <see langword="null"/>: not known (an older message), skip nothing.
    /// </summary>
    public DateTimeOffset? Requested { get; init; }

    /// <summary>The name of the pending mark of <paramref name="resourceId"/>: one per resource, whatever the id's case.</summary>
    public static string LeaseName(string resourceId)
    {
        ArgumentNullException.ThrowIfNull(resourceId);
        return "recheck:" + resourceId.ToUpperInvariant();
    }

    /// <summary>The message text.</summary>
    public string Serialize() => JsonSerializer.Serialize(this, _options);

    /// <summary>Reads a message.</summary>
    /// <exception cref="JsonException">The text is not a re-check.</exception>
    public static ResourceRecheck Deserialize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var recheck = JsonSerializer.Deserialize<ResourceRecheck>(text, _options) ?? throw new JsonException("The message is empty.");
        if (string.IsNullOrWhiteSpace(recheck.ResourceId) || !ResourceChangeRules.IsRecheckTarget(recheck.ResourceId) || recheck.Lease is null || recheck.Attempt is < 0 or > 10)
        {
            throw new JsonException("The message is not a re-check: resourceId (a machine, scale set or Cloud Service), lease and an attempt from 0 to 10 are required.");
        }

        return recheck;
    }
}
