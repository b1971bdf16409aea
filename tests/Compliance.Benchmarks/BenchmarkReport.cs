using System.Globalization;

namespace Compliance.Benchmarks;

/// <summary>Prints the figures: one block per run, the targets, and the machine-readable last line.</summary>
internal static class BenchmarkReport
{
    public static void Write(TextWriter output, BenchmarkSettings settings, RunFigures ours, RunFigures? small, RunFigures? sequential, RunFigures? fixedParallelism)
    {
        var bound = ours.Bound;
        output.WriteLine(Invariant($"Compliance scan benchmark: {bound.Resources:N0} resources ({bound.Checkable:N0} to check by Run Command; {bound.ScaleSetInstances:N0} of them scale-set instances in {bound.ScaleSets:N0} scale sets), seed {settings.Seed}, 2 subscriptions x 2 regions"));
        output.WriteLine(Invariant($"  limits: Azure's (ARM writes 200 burst + 10/s per subscription, Compute Update VM and Update scale set VMs 1,500 + 500/min each per subscription and region, Get scale set VMs 6,000 + 2,000/min, High Cost Get VMSS 1,080 + 360/min and 30 + 10/min per scale set, Get Operation 45 + 15/min per VM, ...); Run Command {settings.RunCommandLatency.TotalSeconds:0} s; {settings.ErrorRate:P0} of ARM requests fail with 500/503; platform clock x{settings.ClockScale:0.#}{(settings.Scale is null ? " (the default for this fleet size)" : string.Empty)}"));
        output.WriteLine(Invariant($"  settings: MaxConcurrency {settings.MaxConcurrency}, BatchSize {settings.BatchSize}, MaxConcurrentBatches {settings.MaxConcurrentBatches}"));
        output.WriteLine($"  machine: {MachineDescription.Describe()}");
        output.WriteLine(Invariant($"  lower bound: {bound.Seconds:N1} s platform time ({bound.Binding} is the slowest bucket, plus one Run Command)"));
        output.WriteLine();

        Block(output, settings, ours, ours, extrapolateTo: null);
        if (sequential is not null)
        {
            Block(output, settings, sequential, ours, extrapolateTo: bound.Resources);
        }

        if (fixedParallelism is not null)
        {
            Block(output, settings, fixedParallelism, ours, extrapolateTo: null);
        }

        var growth = small is null ? (double?)null : ours.LiveMegabytes - small.LiveMegabytes;
        var workingSetGrowth = small is null ? (double?)null : ours.PeakMegabytes - small.PeakMegabytes;
        var stateGrowth = small is null ? (double?)null : ours.StateMegabytes - small.StateMegabytes;
        if (small is not null)
        {
            output.WriteLine(Invariant($"memory: live objects at most {small.LiveMegabytes:N1} MB at {small.Bound.Resources:N0} resources, {ours.LiveMegabytes:N1} MB at {bound.Resources:N0}: grew {growth:N1} MB while the stored state grew {stateGrowth:N1} MB ({small.StateMegabytes:N1} -> {ours.StateMegabytes:N1} MB)"));
            output.WriteLine(Invariant($"        peak working set {small.PeakMegabytes:N0} MB -> {ours.PeakMegabytes:N0} MB ({workingSetGrowth:+0.0;-0.0} MB: the runtime's code and the garbage between collections, whose budget follows the allocation rate)"));
            output.WriteLine();
        }

        output.WriteLine("targets:");
        Target(output, Invariant($"platform clock kept: p99 timer lateness <= {ClockLateness.KeptP99Seconds:0.0#} s platform"), ours.ClockKept, Invariant($"scanner {ours.Worker.ScannerClock.P99Seconds:0.00} s, emulator {ours.EmulatorClock.P99Seconds:0.00} s"));
        if (ours.ClockKept)
        {
            Target(output, "wall time <= 1.15 x lower bound", ours.Ratio <= 1.15, Invariant($"{ours.Ratio:0.00}"));
        }
        else
        {
            output.WriteLine(Invariant($"  INVALID wall time <= 1.15 x lower bound: {ours.Ratio:0.00}, measured on an x{settings.ClockScale:0.#} clock this machine did not keep; {Rerun(settings.ClockScale)}"));
        }

        Target(output, "<= 3.5 ARM requests per machine", ours.RequestsPerMachine <= 3.5, Invariant($"{ours.RequestsPerMachine:0.00}"));
        Target(output, "no machine without a verdict", ours.Lost == 0, Invariant($"{ours.Lost} lost"));
        Target(output, "no notification sent twice", ours.NotificationsDuplicated == 0, Invariant($"{ours.NotificationsDuplicated} duplicated of {ours.NotificationsDelivered}"));
        Target(output, "peak working set <= 400 MB", ours.PeakMegabytes <= 400, Invariant($"{ours.PeakMegabytes:N0} MB"));
        if (growth is not null)
        {
            Target(output, "live memory growth 1k -> full < growth of the state", growth < stateGrowth, Invariant($"{growth:N1} MB < {stateGrowth:N1} MB"));
        }

        output.WriteLine();
        output.WriteLine(Invariant($"ratio={ours.Ratio:0.00} requests_per_vm={ours.RequestsPerMachine:0.00} lost={ours.Lost} duplicates={ours.NotificationsDuplicated} peak_mb={ours.PeakMegabytes:0} clock_kept={(ours.ClockKept ? "true" : "false")}"));
    }

    private static void Block(TextWriter output, BenchmarkSettings settings, RunFigures run, RunFigures ours, int? extrapolateTo)
    {
        var worker = run.Worker;
        var wall = worker.WallSeconds;
        var label = run.Name;
        if (extrapolateTo is { } resources)
        {
            wall = worker.WallSeconds / run.Bound.Resources * resources;
            label = Invariant($"{run.Name} ({run.Bound.Resources} resources, extrapolated to {resources:N0})");
        }

        var requests = worker.ArmRequests.Values.Sum();
        var byKind = string.Join(", ", worker.ArmRequests.Where(p => p.Value > 0).Select(p => Invariant($"{p.Key.ToLowerInvariant()} {(double)p.Value / run.Bound.Resources:0.00}")));
        var policies = run.ThrottledByPolicy.Count == 0 ? "none" : string.Join(", ", run.ThrottledByPolicy.Select(p => Invariant($"{p.Key} {p.Value}")));
        output.WriteLine($"{label}:");
        output.WriteLine(Invariant($"  wall time          {wall:N1} s platform ({worker.RealSeconds:N1} s real){(extrapolateTo is null ? string.Empty : " extrapolated")}"));
        output.WriteLine(Invariant($"  vs lower bound     {wall / ours.Bound.Seconds:0.00} x; vs paced {wall / ours.Worker.WallSeconds:0.00} x"));
        output.WriteLine(Invariant($"  timer lateness     scanner {Lateness(worker.ScannerClock)}; emulator {Lateness(run.EmulatorClock)} (p50/p99/max, s platform)"));
        if (!run.ClockKept)
        {
            output.WriteLine(Invariant($"  INVALID            this machine could not keep the x{settings.ClockScale:0.#} platform clock (p99 timer lateness over {ClockLateness.KeptP99Seconds:0.0#} s): the times above measure the harness, not the scanner; {Rerun(settings.ClockScale)}"));
        }

        output.WriteLine(Invariant($"  ARM requests       {requests:N0}, {(double)requests / run.Bound.Resources:0.00} per machine ({byKind}); {worker.Retried:N0} retried"));
        output.WriteLine(Invariant($"  429s               {worker.Throttled:N0} received (emulator: {run.Throttled:N0}; {policies}); {run.InjectedFaults:N0} injected 5xx"));
        output.WriteLine(Invariant($"  Run Commands       {run.MachinesCommanded:N0} of {run.Bound.Checkable:N0} checkable machines got one (the others end CHECK_FAILED)"));
        output.WriteLine(Invariant($"  timeline           batches queued at {run.Worker.PlannedSeconds:0.0} s, first Run Command at {run.RunCommandSpan.First:0.0} s, last at {run.RunCommandSpan.Last:0.0} s, scan done at {run.Worker.WallSeconds:0.0} s (platform)"));
        output.WriteLine(Invariant($"  Table storage      {worker.TableTransactions:N0} transactions, {worker.TableWriteTransactions:N0} writes carrying {worker.TableEntitiesWritten:N0} entities ({(worker.TableWriteTransactions == 0 ? 0 : (double)worker.TableEntitiesWritten / worker.TableWriteTransactions):0.00} per write)"));
        output.WriteLine(Invariant($"  verdicts           {worker.Planned:N0} planned in {worker.Batches} batches, {run.Lost} lost, {worker.BatchRetries} batch redeliveries, {worker.BatchesAbandoned} abandoned"));
        output.WriteLine(Invariant($"  notifications      {run.NotificationsDelivered:N0} delivered, {run.NotificationsDuplicated} duplicated"));
        output.WriteLine(Invariant($"  peak working set   {run.PeakMegabytes:N0} MB (live objects at most {run.LiveMegabytes:N1} MB); stored state {run.StateMegabytes:N1} MB"));
        output.WriteLine();
    }

    // Half the scale is half the harness's work per real second; at x1 only a quieter machine helps.
    private static string Rerun(double scale) =>
        scale > 1 ? Invariant($"rerun with a lower --scale (e.g. --scale {Math.Max(1, Math.Floor(scale / 2)):0})") : "rerun on a quieter machine";

    private static string Lateness(ClockLateness clock) =>
        Invariant($"{clock.P50Seconds:0.00}/{clock.P99Seconds:0.00}/{clock.MaxSeconds:0.00} of {clock.WakeUps:N0} wake-ups");

    private static void Target(TextWriter output, string target, bool met, string figure) =>
        output.WriteLine($"  {(met ? "met   " : "MISSED")} {target}: {figure}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
