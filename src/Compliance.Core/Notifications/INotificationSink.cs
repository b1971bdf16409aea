namespace Compliance.Core.Notifications;

/// <summary>The port to a notification channel (an Event Grid topic, a webhook).</summary>
public interface INotificationSink
{
    /// <summary>A stable name, used to track per sink which messages are still to be delivered.</summary>
    string Name { get; }

    /// <summary>
    /// Delivers <paramref name="messages"/>; throws when the channel did not accept them, so they stay in the outbox
    /// and are tried again later.
    /// </summary>
    Task PublishAsync(IReadOnlyList<NotificationMessage> messages, CancellationToken cancellationToken);
}
