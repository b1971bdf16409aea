using Compliance.Core.Notifications;

namespace Compliance.Core.Tests.TestData;

/// <summary>A sink that keeps what it was given, and can be made to fail.</summary>
public sealed class RecordingSink(string name = "test") : INotificationSink
{
    private readonly List<NotificationMessage> _received = [];

    public string Name { get; } = name;

    public bool Failing { get; set; }

    public int Calls { get; private set; }

    public IReadOnlyList<NotificationMessage> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToList();
            }
        }
    }

    /// <summary>When set, each delivery waits for it: a test holds a dispatch in the middle of its work.</summary>
    public Task? Gate { get; set; }

    /// <summary>Completed when a delivery has begun.</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task PublishAsync(IReadOnlyList<NotificationMessage> messages, CancellationToken cancellationToken)
    {
        Calls++;
        Started.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Failing)
        {
            throw new HttpRequestException("the sink is down");
        }

        lock (_received)
        {
            _received.AddRange(messages);
        }
    }
}
