namespace Compliance.Emulator;

/// <summary>
/// The mix of a generated fleet (<see cref="FleetGeneratorOptions.Mix"/>): shares of the machines (0 to 1). The
/// state shares are drawn per machine and together must not exceed 1; the rest are running, patched, with a Ready
/// agent, and compliant. The defaults are those of <see cref="FleetGenerator.Generate(int, int)"/> except the share
/// of scale-set instances.
/// </summary>
public sealed class FleetMix
{
    /// <summary>The share of Windows machines; the others run Linux.</summary>
    /// <value>0.55.</value>
    public double Windows { get; set; } = 0.55;

    /// <summary>The share of machines that are scale-set instances (in sets of 4 to 10); the rest are virtual machines.</summary>
    /// <value>0.05.</value>
    public double ScaleSetInstances { get; set; } = 0.05;

    /// <summary>Cloud Services per machine, rounded (0.005 is one per 200 machines); each has 1 to 6 role instances.</summary>
    /// <value>0.005.</value>
    public double CloudServicesPerMachine { get; set; } = 0.005;

    /// <summary>Running machines whose guest lacks the January 2018 mitigations.</summary>
    /// <value>0.08.</value>
    public double Unpatched { get; set; } = 0.08;

    /// <summary>Patched machines that run untrusted code (RDS, Hyper-V, containers or the untrusted-code tag) with KVA shadow on.</summary>
    /// <value>0.025.</value>
    public double Untrusted { get; set; } = 0.025;

    /// <summary>Machines that run untrusted code with KVA shadow off (Windows) and so need action.</summary>
    /// <value>0.025.</value>
    public double UntrustedWithoutKvaShadow { get; set; } = 0.025;

    /// <summary>Stopped (still allocated) machines.</summary>
    /// <value>0.025.</value>
    public double Stopped { get; set; } = 0.025;

    /// <summary>Deallocated machines.</summary>
    /// <value>0.025.</value>
    public double Deallocated { get; set; } = 0.025;

    /// <summary>Running machines whose VM agent is not ready, so Run Command fails.</summary>
    /// <value>0.02.</value>
    public double AgentNotReady { get; set; } = 0.02;

    /// <summary>Machines whose Run Command fails: half refused with 409 Conflict, half timing out.</summary>
    /// <value>0.01.</value>
    public double RunCommandFailures { get; set; } = 0.01;
}
