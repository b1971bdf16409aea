namespace Compliance.Core.Inventory;

/// <summary>The instance view's <c>maintenanceRedeployStatus</c>: planned platform maintenance for a machine.</summary>
public sealed record MaintenanceWindow(
    bool? IsCustomerInitiatedMaintenanceAllowed,
    DateTimeOffset? PreMaintenanceWindowStart,
    DateTimeOffset? PreMaintenanceWindowEnd,
    DateTimeOffset? MaintenanceWindowStart,
    DateTimeOffset? MaintenanceWindowEnd,
    string? LastOperationResultCode)
{
    /// <summary>Whether any window is scheduled, which means the platform will reboot the machine.</summary>
    public bool HasWindow =>
        PreMaintenanceWindowStart is not null || PreMaintenanceWindowEnd is not null
        || MaintenanceWindowStart is not null || MaintenanceWindowEnd is not null;
}
