namespace Compliance.Emulator;

/// <summary>
/// One Event Grid delivery the emulator made to a webhook, and the webhook's answer.
/// </summary>
/// <param name="Target">The webhook the event was posted to.</param>
/// <param name="EventId">The <c>id</c> of the delivered event.</param>
/// <param name="EventType">The <c>eventType</c> of the delivered event, e.g. <c>Microsoft.Resources.ResourceWriteSuccess</c>.</param>
/// <param name="StatusCode">The HTTP status the webhook answered with.</param>
/// <param name="Body">The body of the answer, as text.</param>
public sealed record EventDelivery(Uri Target, string EventId, string EventType, int StatusCode, string Body);
