namespace Compliance.Emulator;

/// <summary>
/// The maintenance state of a machine (<c>maintenance</c> in the fleet file), served as the
/// instance view's <c>maintenanceRedeployStatus</c>. Absent values are not served.
/// </summary>
public sealed record FleetMaintenance
{
    /// <summary>Whether the customer may start the maintenance now.</summary>
    public bool? IsCustomerInitiatedMaintenanceAllowed { get; init; }

    /// <summary>Start of the self-service (pre-maintenance) window.</summary>
    public DateTimeOffset? PreMaintenanceWindowStartTime { get; init; }

    /// <summary>End of the self-service (pre-maintenance) window.</summary>
    public DateTimeOffset? PreMaintenanceWindowEndTime { get; init; }

    /// <summary>Start of the scheduled maintenance window.</summary>
    public DateTimeOffset? MaintenanceWindowStartTime { get; init; }

    /// <summary>End of the scheduled maintenance window.</summary>
    public DateTimeOffset? MaintenanceWindowEndTime { get; init; }

    /// <summary>The result code of the last maintenance operation, e.g. <c>None</c> or <c>RetryLater</c>.</summary>
    public string? LastOperationResultCode { get; init; }

    /// <summary>The message of the last maintenance operation.</summary>
    public string? LastOperationMessage { get; init; }
}
