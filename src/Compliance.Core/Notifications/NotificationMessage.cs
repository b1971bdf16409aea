namespace Compliance.Core.Notifications;

/// <summary>
/// One notification, shaped as a CloudEvent 1.0. The id is deterministic for the transition it reports, so a message
/// that is delivered again after a crash carries the same id and consumers can drop the copy.
/// </summary>
/// <param name="Id">The CloudEvent id.</param>
/// <param name="Type">One of <see cref="NotificationTypes"/>.</param>
/// <param name="Subject">The resource id, or <c>/scans/{scanId}</c> for a digest.</param>
/// <param name="Time">When the transition was observed.</param>
/// <param name="DataJson">The CloudEvent <c>data</c>, as UTF-8 JSON text (the assessment, or the scan digest).</param>
public sealed record NotificationMessage(string Id, string Type, string Subject, DateTimeOffset Time, string DataJson);
