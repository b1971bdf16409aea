namespace Compliance.Testing;

/// <summary>What <see cref="SampleEvent.Render"/> changes in a sample event; everything else stays as the sample has it.</summary>
public sealed record SampleEventEdit
{
    /// <summary>
    /// The resource the event is to be about: the <c>subject</c>, <c>data.resourceUri</c>, <c>data.authorization.scope</c>,
    /// the subscription (and resource group) of <c>topic</c> or <c>source</c>, <c>data.subscriptionId</c>,
    /// <c>data.resourceProvider</c> and the path of <c>data.httpRequest.url</c>.
    /// </summary>
    public required string ResourceId { get; init; }

    /// <summary>The <c>data.operationName</c> and <c>data.authorization.action</c>, or <see langword="null"/> to keep the sample's.</summary>
    public string? OperationName { get; init; }

    /// <summary>The <c>eventType</c> (Event Grid) or <c>type</c> (CloudEvents), or <see langword="null"/> to keep the sample's.</summary>
    public string? EventType { get; init; }

    /// <summary>The event <c>id</c>, or <see langword="null"/> to keep the sample's.</summary>
    public string? Id { get; init; }

    /// <summary>
    /// The caller's object id: the <c>http://schemas.microsoft.com/identity/claims/objectidentifier</c> claim of
    /// <c>data.claims</c> and, when the sample has one, <c>data.authorization.evidence.principalId</c> (in the sample's
    /// format, with or without hyphens); <see langword="null"/> to keep the sample's.
    /// </summary>
    public string? CallerObjectId { get; init; }
}
