namespace Compliance.Emulator;

/// <summary>
/// Transient failures an <see cref="ArmEmulator"/> injects (<see cref="ArmEmulatorOptions.Faults"/>): answers of
/// 500 <c>InternalServerError</c> or 503 <c>ServiceUnavailable</c>, and slow answers. Any request that passed
/// authentication and throttling may be picked, operation polls included; a faulted request is not processed (a
/// faulted Run Command starts nothing) but has taken its throttling tokens, as in Azure, where the request reached
/// the service. Counted in <see cref="ArmEmulator.InjectedFaults"/> and <see cref="ArmEmulator.InjectedDelays"/>.
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
        if (!IsShare(ErrorRate) || !IsShare(UnavailableShare) || !IsShare(SlowRate))
        {
            throw new ArgumentException($"ErrorRate, UnavailableShare and SlowRate must be between 0 and 1, not {ErrorRate}, {UnavailableShare} and {SlowRate}.", paramName);
        }

        if (SlowDelay < TimeSpan.Zero || UnavailableRetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentException("SlowDelay and UnavailableRetryAfter must not be negative.", paramName);
        }
    }

    private static bool IsShare(double value) => value is >= 0 and <= 1;
}
