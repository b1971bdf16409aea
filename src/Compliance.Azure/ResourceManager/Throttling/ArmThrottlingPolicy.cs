using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>
/// The ARM client's retry policy (it replaces Azure.Core's): every request first waits for its rate-limit buckets
/// (<see cref="ArmRateGovernor"/>); a 429 holds its bucket until <c>Retry-After</c> and the request goes again behind the
/// others, never in a burst of retries; a 5xx, a 408 or a network failure is retried with exponential back-off (or the
/// server's <c>Retry-After</c>). All waiting is on the injected <see cref="TimeProvider"/>, so the emulator's scaled
/// clock speeds it up like everything else.
/// </summary>
internal sealed class ArmThrottlingPolicy : HttpPipelinePolicy
{
    // A throttled request is not a failure: it waits its turn. This only bounds a bucket that never recovers.
    private const int MaxThrottledAttempts = 100;

    private readonly ArmRateGovernor _governor;
    private readonly ArmRequestStatistics _statistics;
    private readonly int _maxRetries;
    private readonly TimeSpan _delay;
    private readonly Func<double> _random;

    private readonly bool _paced;

    /// <param name="governor">The buckets.</param>
    /// <param name="statistics">Where requests are counted.</param>
    /// <param name="maxRetries">Retries of a failed request (5xx, 408, network).</param>
    /// <param name="delay">The first back-off.</param>
    /// <param name="paced">
    /// <see langword="false"/> only for comparison (the benchmark's baseline): no pacing, and a 429 is retried like a
    /// failure, after its own <c>Retry-After</c>, within <paramref name="maxRetries"/>, as SDK clients do by default.
    /// </param>
    /// <param name="random">Jitter.</param>
    public ArmThrottlingPolicy(ArmRateGovernor governor, ArmRequestStatistics statistics, int maxRetries, TimeSpan delay, bool paced = true, Func<double>? random = null)
    {
        _paced = paced;
        _governor = governor;
        _statistics = statistics;
        _maxRetries = maxRetries;
        _delay = delay;
        _random = random ?? Random.Shared.NextDouble;
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessAsync(message, pipeline, async: true);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: false).AsTask().GetAwaiter().GetResult();

    private async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        var request = _governor.Classify(message);
        var failures = 0;
        var throttled = 0;
        while (true)
        {
            var tickets = _paced ? await _governor.AcquireAsync(request, message.CancellationToken).ConfigureAwait(false) : default;
            _statistics.OnSent(request.Kind);
            try
            {
                if (async)
                {
                    await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                }
                else
                {
                    ProcessNext(message, pipeline);
                }
            }
            catch (Exception ex)
            {
                // No answer: the pacers learn nothing from it, but must not wait for it either.
                if (_paced)
                {
                    _governor.Observe(request, tickets, response: null);
                }
                if (!IsTransient(ex) || message.CancellationToken.IsCancellationRequested || failures >= _maxRetries)
                {
                    throw;
                }

                failures++;
                _statistics.OnRetried();
                await Task.Delay(Backoff(failures), _governor.Time, message.CancellationToken).ConfigureAwait(false);
                continue;
            }

            var response = message.Response;
            if (_paced)
            {
                _governor.Observe(request, tickets, response);
            }
            else if (response.Status == 429)
            {
                _statistics.OnThrottled();
                if (failures >= _maxRetries)
                {
                    return;
                }

                failures++;
                await Task.Delay(_governor.RetryAfter(response) ?? Backoff(failures), _governor.Time, message.CancellationToken).ConfigureAwait(false);
                continue;
            }

            if (response.Status == 429)
            {
                _statistics.OnThrottled();
                if (++throttled < MaxThrottledAttempts)
                {
                    // The governor now holds the bucket until Retry-After; the next AcquireAsync waits for it.
                    continue;
                }

                return;
            }

            if (IsRetriable(response.Status) && failures < _maxRetries)
            {
                failures++;
                _statistics.OnRetried();
                var wait = _governor.RetryAfter(response) ?? Backoff(failures);
                await Task.Delay(wait, _governor.Time, message.CancellationToken).ConfigureAwait(false);
                continue;
            }

            return;
        }
    }

    private static bool IsRetriable(int status) => status is 408 or 500 or 502 or 503 or 504;

    private static bool IsTransient(Exception ex) => ex is HttpRequestException or IOException or RequestFailedException { Status: 0 } or TimeoutException;

    // Exponential with "equal jitter": half fixed, half random, so failed requests do not come back in lockstep.
    private TimeSpan Backoff(int attempt)
    {
        var exponential = _delay * Math.Pow(2, attempt - 1);
        return (exponential / 2) + (exponential / 2 * _random());
    }
}
