namespace Compliance.Benchmarks;

/// <summary>Everything measured about one scan run: the worker's own counts, the emulator's, and the store's.</summary>
internal sealed record RunFigures
{
    public required string Name { get; init; }

    public required WorkerResult Worker { get; init; }

    public required LowerBound Bound { get; init; }

    /// <summary>429s the emulator answered.</summary>
    public required int Throttled { get; init; }

    public required IReadOnlyDictionary<string, int> ThrottledByPolicy { get; init; }

    public required int InjectedFaults { get; init; }

    /// <summary>Distinct machines the emulator accepted a Run Command for.</summary>
    public required int MachinesCommanded { get; init; }

    /// <summary>Resources of the fleet that end the scan without a verdict of this scan.</summary>
    /// <summary>When the first and the last Run Command arrived, platform seconds after the scan started (0 when none did).</summary>
    public required (double First, double Last) RunCommandSpan { get; init; }

    public required int Lost { get; init; }

    public required int NotificationsDelivered { get; init; }

    public required int NotificationsDuplicated { get; init; }

    /// <summary>The size of the stored current state (one row per resource), as JSON.</summary>
    public required long StateBytes { get; init; }

    /// <summary>How late the timers of the emulator's process woke up during the scan.</summary>
    public required ClockLateness EmulatorClock { get; init; }

    /// <summary>Whether both processes kept the platform clock, so that the run's platform times are the scanner's.</summary>
    public bool ClockKept => Worker.ScannerClock.Kept && EmulatorClock.Kept;

    public double Ratio => Worker.WallSeconds / Bound.Seconds;

    public double RequestsPerMachine => (double)Worker.ArmRequests.Values.Sum() / Bound.Resources;

    public double PeakMegabytes => Worker.PeakWorkingSetBytes / 1048576.0;

    public double LiveMegabytes => Worker.PeakLiveBytes / 1048576.0;

    public double StateMegabytes => StateBytes / 1048576.0;
}
