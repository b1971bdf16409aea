using System.Collections.Concurrent;
using Compliance.Core.Notifications;

namespace Compliance.Azure.Tests.Storage;

/// <summary>A sink that keeps what it was given.</summary>
public sealed class CollectingSink : INotificationSink
{
    private readonly ConcurrentQueue<NotificationMessage> _received = new();

    public string Name => "collecting";

    public IReadOnlyList<NotificationMessage> Received => [.. _received];

    public Task PublishAsync(IReadOnlyList<NotificationMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            _received.Enqueue(message);
        }

        return Task.CompletedTask;
    }
}
