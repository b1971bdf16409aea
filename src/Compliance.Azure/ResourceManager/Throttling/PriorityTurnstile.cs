namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>
/// Lets one caller through at a time, the waiting ones in order of priority (lowest first), then of arrival. In front
/// of a pacer it makes one waiter at a time wait for the next token, instead of every waiter waking at each token.
/// </summary>
internal sealed class PriorityTurnstile
{
    private readonly object _gate = new();
    private readonly PriorityQueue<TaskCompletionSource, (long Priority, long Arrival)> _waiting = new();
    private long _arrivals;
    private bool _held;

    /// <summary>Waiting callers.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Waits for the turn; the caller must <see cref="Exit"/> once it is done, also when it fails.</summary>
    public async ValueTask EnterAsync(long priority, CancellationToken cancellationToken)
    {
        TaskCompletionSource turn;
        lock (_gate)
        {
            if (!_held)
            {
                _held = true;
                return;
            }

            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(turn, (priority, _arrivals++));
        }

        // A cancelled waiter stays queued, done; Exit skips it.
        using var registration = cancellationToken.Register(() => turn.TrySetCanceled(cancellationToken));
        await turn.Task.ConfigureAwait(false);
    }

    /// <summary>Passes the turn to the first waiter still waiting, or frees the turnstile.</summary>
    public void Exit()
    {
        lock (_gate)
        {
            while (_waiting.TryDequeue(out var next, out _))
            {
                if (next.TrySetResult())
                {
                    return;
                }
            }

            _held = false;
        }
    }
}
