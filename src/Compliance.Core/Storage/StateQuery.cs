namespace Compliance.Core.Storage;

/// <summary>Which resource states to list; every filter is optional and they combine with "and".</summary>
public sealed record StateQuery
{
    /// <summary>Every state.</summary>
    public static StateQuery All { get; } = new();

    /// <summary>Only this subscription.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>Only this status (<c>Compliant</c>, <c>ActionRequired</c>, <c>Unknown</c>, <c>Exempt</c>).</summary>
    public string? Status { get; init; }

    /// <summary>Only resources that need this action (<c>GuestUpdate</c>, <c>KvaShadowing</c>, <c>MitigationSettings</c>).</summary>
    public string? Action { get; init; }

    /// <summary>Only states with notifications still to deliver.</summary>
    public bool OnlyWithOutbox { get; init; }

    /// <summary>
    /// Only resources whose id starts with this, compared case-insensitively (for example a scale set's id followed by
    /// <c>/virtualMachines/</c>: its instances). It names one subscription, which the store reads alone.
    /// </summary>
    public string? ResourceIdPrefix { get; init; }

    /// <summary>Only states after this resource in the store's order (the continuation of a page).</summary>
    public string? AfterResourceId { get; init; }
}
