namespace Compliance.Core.Remediation;

/// <summary>
/// The figures a plan's expected duration is computed from: how many steps run side by side, the platform's write rate
/// per subscription and region (Compute's "Update VM": installPatches, restart and Run Command all count against it),
/// and how long a Run Command, a restart and the wait before a verifying check take at most.
/// </summary>
/// <param name="Parallelism">Steps at the same time.</param>
/// <param name="UpdateVmPerSecond">Compute "Update VM" requests per second per subscription and region.</param>
/// <param name="RunCommand">One Run Command, at most.</param>
/// <param name="Restart">One restart, at most.</param>
/// <param name="VerifyDelay">The wait after a restart before the verifying check.</param>
public sealed record RemediationRates(int Parallelism, double UpdateVmPerSecond, TimeSpan RunCommand, TimeSpan Restart, TimeSpan VerifyDelay)
{
    /// <summary>
    /// The longest the plan should take: the machines go <see cref="Parallelism"/> at a time, each taking
    /// <paramref name="perMachine"/> at most, unless the writes (<paramref name="writesPerMachine"/> each) of the busiest
    /// subscription and region take longer at the platform's rate.
    /// </summary>
    /// <param name="machinesPerRegion">The machines that run, counted per subscription and region.</param>
    /// <param name="perMachine">One machine's longest time.</param>
    /// <param name="writesPerMachine">One machine's Update VM requests.</param>
    public TimeSpan Expected(IReadOnlyCollection<int> machinesPerRegion, TimeSpan perMachine, int writesPerMachine)
    {
        ArgumentNullException.ThrowIfNull(machinesPerRegion);
        var machines = machinesPerRegion.Sum();
        if (machines == 0)
        {
            return TimeSpan.Zero;
        }

        var rounds = (machines + Parallelism - 1) / Parallelism;
        var byParallelism = perMachine * rounds;
        var byRate = TimeSpan.FromSeconds(machinesPerRegion.Max() * writesPerMachine / UpdateVmPerSecond);
        return byParallelism > byRate ? byParallelism : byRate;
    }
}
