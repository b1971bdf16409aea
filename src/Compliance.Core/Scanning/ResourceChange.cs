namespace Compliance.Core.Scanning;

/// <summary>An Azure subscription resource event (Event Grid), reduced to what a re-check needs.</summary>
/// <param name="EventId">The event id: the same delivery twice has the same id.</param>
/// <param name="EventType">For example <c>Microsoft.Resources.ResourceWriteSuccess</c>.</param>
/// <param name="ResourceId">The event's subject (or <c>data.resourceUri</c>).</param>
/// <param name="OperationName"><c>data.operationName</c>, for example <c>Microsoft.Compute/virtualMachines/write</c>.</param>
/// <param name="EventTime">When the event happened.</param>
public sealed record ResourceChange(string EventId, string EventType, string ResourceId, string? OperationName, DateTimeOffset EventTime)
{
    /// <summary>
    /// The object id of the identity that made the change (the token's <c>oid</c> claim, or the role assignment's
    /// principal); <see langword="null"/> when the event does not name one or names two.
    /// </summary>
    public string? Caller { get; init; }
}
