using Compliance.Core.Scanning;

namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>
/// A pacer whose waiters take its tokens one at a time, in <see cref="CheckOrder"/> (calls outside a batch first),
/// so that the earliest checks of a scan are served first and no token wakes every waiter.
/// </summary>
internal sealed class OrderedPacer(IRequestPacer inner) : IRequestPacer
{
    private readonly PriorityTurnstile _turnstile = new();

    public async ValueTask<PacerTicket> WaitAsync(CancellationToken cancellationToken)
    {
        await _turnstile.EnterAsync(CheckOrder.Current ?? long.MinValue, cancellationToken).ConfigureAwait(false);
        try
        {
            return await inner.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turnstile.Exit();
        }
    }

    public void Observe(PacerTicket ticket, int? remaining) => inner.Observe(ticket, remaining);

    public void Throttled(PacerTicket ticket, TimeSpan retryAfter) => inner.Throttled(ticket, retryAfter);
}
