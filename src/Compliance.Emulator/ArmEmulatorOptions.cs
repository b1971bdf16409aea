using Microsoft.Extensions.Logging;

namespace Compliance.Emulator;

/// <summary>
/// Settings of an <see cref="ArmEmulator"/>, read once when it starts.
/// </summary>
public sealed class ArmEmulatorOptions
{
    /// <summary>Items per page of every list (1 or more); ARM's default is 100.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// The clock for Run Command latencies, instance-view times, recorded request times, throttling buckets,
    /// <c>Retry-After</c> values and injected delays. A <see cref="ScaledTimeProvider"/> runs platform time faster
    /// than real time, e.g. an hour of Azure in a minute.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// How long a Run Command runs (platform time) on machines whose fleet entry gives no latency (no
    /// <c>runCommand</c>, or <c>latencyMs</c> 0 or absent); 0 or more. Azure needs about 20 seconds at least.
    /// </summary>
    /// <value><see cref="TimeSpan.Zero"/>: such commands complete at once.</value>
    public TimeSpan RunCommandLatency { get; set; }

    /// <summary>
    /// How long an <c>installPatches</c> runs (platform time) on machines whose fleet entry gives no latency; 0 or
    /// more. Azure takes minutes at least (up to the request's <c>maximumDuration</c>).
    /// </summary>
    /// <value><see cref="TimeSpan.Zero"/>: installations complete at once.</value>
    public TimeSpan InstallPatchesLatency { get; set; }

    /// <summary>
    /// Whether a finished Run Command's <c>Azure-AsyncOperation</c> status carries its result in
    /// <c>properties.output</c>, as Compute's does. The REST specification promises the result only from the final
    /// <c>GET</c> of the <c>Location</c> URL (<c>final-state-via: location</c>), which always answers it;
    /// <see langword="false"/> leaves it out of the status, as the specification allows.
    /// </summary>
    /// <value><see langword="true"/>.</value>
    public bool RunCommandOutputInStatus { get; set; } = true;

    /// <summary>
    /// The throttling Azure imposes, with Azure's limits by default; <see langword="null"/> throttles nothing (the
    /// answers still carry the remaining-count headers, of full buckets, as a lone request would find Azure's).
    /// </summary>
    /// <value><see langword="null"/>.</value>
    public RateLimitOptions? Limits { get; set; }

    /// <summary>Injected transient errors and slow answers; <see langword="null"/> injects none.</summary>
    /// <value><see langword="null"/>.</value>
    public FaultOptions? Faults { get; set; }

    /// <summary>Where the web host logs; when <see langword="null"/> nothing is logged.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The storage queue that receives the subscription's resource events, as the Event Grid system topic's event
    /// subscription with a Storage Queue destination delivers them: <see cref="ArmEmulator.PublishResourceEventAsync"/>
    /// writes there, and so does every Run Command the emulator accepts (the
    /// <c>Microsoft.Resources.ResourceActionSuccess</c> event ARM raises for it, not awaited by the request; failed
    /// ones are counted in <see cref="ArmEmulator.EventDeliveryFailures"/>). <see langword="null"/> publishes nothing.
    /// </summary>
    /// <value><see langword="null"/>.</value>
    public EventQueueOptions? EventQueue { get; set; }
}
