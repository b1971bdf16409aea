using Microsoft.Extensions.Logging;

namespace Compliance.Emulator;

/// <summary>
/// Settings of an <see cref="ArmEmulator"/>, read once when it starts.
/// </summary>
public sealed class ArmEmulatorOptions
{
    /// <summary>Items per page of every list (1 or more); ARM's default is 100.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>The clock for Run Command latencies, instance-view times and recorded request times.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the web host logs; when <see langword="null"/> nothing is logged.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// A webhook (http or https on loopback) that receives, in the Event Grid schema, the
    /// <c>Microsoft.Resources.ResourceActionSuccess</c> event ARM raises for each Run Command the emulator accepts;
    /// <see langword="null"/> publishes nothing. Deliveries are not awaited; failed ones are counted in
    /// <see cref="ArmEmulator.EventDeliveryFailures"/>.
    /// </summary>
    public Uri? EventWebhook { get; set; }
}
