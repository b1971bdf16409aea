using Compliance.Core.Notifications;

namespace Compliance.Core.Storage;

/// <summary>A notification in the outbox, with the sinks that have not accepted it yet.</summary>
public sealed record PendingNotification(NotificationMessage Message, IReadOnlyList<string> PendingSinks);
