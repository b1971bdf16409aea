using Compliance.Emulator;

namespace Compliance.Benchmarks;

/// <summary>
/// The shortest scan the emulated limits allow for a fleet: every running VM needs its instance view (an ARM read and
/// a Compute "Low Cost Get" token: the only place of its maintenance status), every machine that can be checked one Run
/// Command (an ARM write and a Compute "Update VM" token, "Update scale set VMs" for a scale-set VM) and one operation poll (an ARM read and a "Get Operation"
/// token); each bucket serves its burst at once and then its refill rate. Faulted requests still take their tokens (as
/// in Azure), so at an error rate e a perfect client needs 1/(1-e) attempts per request. The last Run Command then runs
/// for the command latency. The bound is the slowest bucket plus that latency.
/// </summary>
internal sealed record LowerBound(double Seconds, string Binding, int Checkable, int Resources, int ScaleSets = 0, int ScaleSetInstances = 0)
{
    public static LowerBound For(FleetDocument fleet, RateLimitOptions limits, TimeSpan runCommandLatency, double errorRate)
    {
        var attempts = 1 / (1 - errorRate);
        var buckets = new List<(string Name, double Seconds)>();
        var checkable = 0;
        var resources = 0;
        var scaleSets = 0;
        var instances = 0;
        foreach (var subscription in fleet.Subscriptions)
        {
            var byRegion = CheckableByRegion(subscription).ToList();
            var viewsByRegion = RunningVmsByRegion(subscription).ToList();
            var count = byRegion.Sum(r => r.Count);
            var views = viewsByRegion.Sum(r => r.Count);
            checkable += count;
            resources += subscription.VirtualMachines.Count + subscription.ScaleSets.Sum(s => s.Instances.Count) + subscription.CloudServices.Count;
            scaleSets += subscription.ScaleSets.Count;
            instances += subscription.ScaleSets.Sum(s => s.Instances.Count);
            buckets.Add(($"ARM writes, subscription {subscription.SubscriptionId}", Drain(count * attempts, limits.Writes)));
            buckets.Add(($"ARM reads, subscription {subscription.SubscriptionId}", Drain((count + views) * attempts, limits.Reads)));
            foreach (var (region, regional) in byRegion)
            {
                buckets.Add(($"Compute Get Operation, {subscription.SubscriptionId}/{region}", Drain(regional * attempts, limits.GetOperation.Subscription)));
            }

            // Run Command on a VM draws from "Update VM", on a scale-set VM from "Update scale set VMs".
            foreach (var (region, regional) in CheckableVmsByRegion(subscription))
            {
                buckets.Add(($"Compute Update VM, {subscription.SubscriptionId}/{region}", Drain(regional * attempts, limits.UpdateVM.Subscription)));
            }

            foreach (var (region, regional) in CheckableInstancesByRegion(subscription))
            {
                buckets.Add(($"Compute Update scale set VMs, {subscription.SubscriptionId}/{region}", Drain(regional * attempts, limits.UpdateScaleSetVM.Subscription)));
            }

            foreach (var (region, regional) in viewsByRegion)
            {
                buckets.Add(($"Compute Low Cost Get, {subscription.SubscriptionId}/{region}", Drain(regional * attempts, limits.LowCostGet.Subscription)));
            }
        }

        var slowest = buckets.MaxBy(b => b.Seconds);
        return new LowerBound(slowest.Seconds + runCommandLatency.TotalSeconds, slowest.Name, checkable, resources, scaleSets, instances);
    }

    /// <summary>The time a bucket needs to serve <paramref name="demand"/> tokens: the burst at once, then the refill rate.</summary>
    private static double Drain(double demand, TokenBucketLimit limit)
    {
        var perSecond = limit.RefillTokens / limit.RefillInterval.TotalSeconds;
        return Math.Max(0, demand - limit.Capacity) / perSecond;
    }

    /// <summary>
    /// The machines a scan runs a command on, per region: running VMs and scale-set instances whose instance view (read
    /// first for a VM, listed with a scale-set instance) does not show the agent down.
    /// </summary>
    private static IEnumerable<(string Region, int Count)> CheckableByRegion(FleetSubscription subscription) =>
        ByRegion(CheckableVms(subscription).Concat(CheckableInstances(subscription)));

    private static IEnumerable<(string Region, int Count)> CheckableVmsByRegion(FleetSubscription subscription) => ByRegion(CheckableVms(subscription));

    private static IEnumerable<(string Region, int Count)> CheckableInstancesByRegion(FleetSubscription subscription) => ByRegion(CheckableInstances(subscription));

    private static IEnumerable<string> CheckableVms(FleetSubscription subscription) =>
        subscription.VirtualMachines.Where(vm => vm.PowerState == FleetPowerState.Running && vm.AgentStatus == FleetAgentStatus.Ready).Select(vm => vm.Location);

    private static IEnumerable<string> CheckableInstances(FleetSubscription subscription) =>
        subscription.ScaleSets.SelectMany(set => set.Instances
            .Where(i => i.PowerState == FleetPowerState.Running && i.AgentStatus == FleetAgentStatus.Ready)
            .Select(_ => set.Location));

    private static IEnumerable<(string Region, int Count)> ByRegion(IEnumerable<string> regions) =>
        regions.GroupBy(region => region, StringComparer.OrdinalIgnoreCase).Select(g => (g.Key, g.Count()));

    /// <summary>The running VMs, per region: each has its instance view read.</summary>
    private static IEnumerable<(string Region, int Count)> RunningVmsByRegion(FleetSubscription subscription) =>
        subscription.VirtualMachines.Where(vm => vm.PowerState == FleetPowerState.Running)
            .GroupBy(vm => vm.Location, StringComparer.OrdinalIgnoreCase)
            .Select(g => (g.Key, g.Count()));
}
