namespace Compliance.Emulator;

/// <summary>
/// Transient failures an <see cref="ArmEmulator"/> injects (<see cref="ArmEmulatorOptions.Faults"/>): answers of
/// 500 <c>InternalServerError</c> or 503 <c>ServiceUnavailable</c>, connection resets, and slow answers. Any request that passed
/// authentication and throttling may be picked, operation polls included; a faulted request is not processed (a
/// faulted Run Command starts nothing) but has taken its throttling tokens, as in Azure, where the request reached
/// the service. A reset either comes before the request is processed or, for <see cref="ResetAfterProcessingShare"/>
/// of them, after it (the work is done, its answer lost: a retried Run Command meets the one it started). Counted in
/// <see cref="ArmEmulator.InjectedFaults"/>, <see cref="ArmEmulator.InjectedResets"/> and <see cref="ArmEmulator.InjectedDelays"/>.
/// </summary>
public sealed class FaultOptions
{
    /// <summary>The share of requests (0 to 1) answered with an error instead of being processed.</summary>
    /// <value>0.</value>
    public double ErrorRate { get; set; }

    /// <summary>The share of the errors (0 to 1) that are 503 <c>ServiceUnavailable</c> rather than 500 <c>InternalServerError</c>.</summary>
    /// <value>0.5.</value>
    public double UnavailableShare { get; set; } = 0.5;

    /// <summary>The <c>Retry-After</c> of a 503, platform time, rounded up to whole seconds.</summary>
    /// <value>1 second.</value>
    public TimeSpan UnavailableRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The share of requests (0 to 1) whose connection is reset instead of answered (not counted in <see cref="ErrorRate"/>).</summary>
    /// <value>0.</value>
    public double ResetRate { get; set; }

    /// <summary>The share of the resets (0 to 1) that come after the request was processed, so that only its answer is lost.</summary>
    /// <value>0.5.</value>
    public double ResetAfterProcessingShare { get; set; } = 0.5;

    /// <summary>The share of requests (0 to 1) answered only after <see cref="SlowDelay"/>; a slow request may also fail.</summary>
    /// <value>0.</value>
    public double SlowRate { get; set; }

    /// <summary>How long a slow request waits before it is answered, platform time (on the emulator's <see cref="ArmEmulatorOptions.TimeProvider"/>).</summary>
    /// <value>5 seconds.</value>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The seed of the choices: the n-th request the emulator admits always gets the same verdict for the same seed
    /// and rates (requests that race each other are admitted in the order they reach the gate).
    /// </summary>
    /// <value>0.</value>
    public int Seed { get; set; }

    internal void Validate(string paramName)
    {
        if (!IsShare(ErrorRate) || !IsShare(UnavailableShare) || !IsShare(SlowRate) || !IsShare(ResetRate) || !IsShare(ResetAfterProcessingShare))
        {
            throw new ArgumentException(
                $"ErrorRate, UnavailableShare, SlowRate, ResetRate and ResetAfterProcessingShare must be between 0 and 1, not {ErrorRate}, {UnavailableShare}, {SlowRate}, {ResetRate} and {ResetAfterProcessingShare}.",
                paramName);
        }

        if (ErrorRate + ResetRate > 1)
        {
            throw new ArgumentException($"ErrorRate and ResetRate together must not exceed 1, not {ErrorRate} + {ResetRate}.", paramName);
        }

        if (SlowDelay < TimeSpan.Zero || UnavailableRetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentException("SlowDelay and UnavailableRetryAfter must not be negative.", paramName);
        }
    }

    private static bool IsShare(double value) => value is >= 0 and <= 1;
}
