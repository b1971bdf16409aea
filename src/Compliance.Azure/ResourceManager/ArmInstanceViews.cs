using Azure.ResourceManager.Compute.Models;
using Compliance.Core.Inventory;

namespace Compliance.Azure.ResourceManager;

/// <summary>Reads power state, agent state and maintenance out of ARM instance views.</summary>
internal static class ArmInstanceViews
{
    private const string PowerStatePrefix = "PowerState/";

    public static PowerState PowerStateOf(IEnumerable<InstanceViewStatus>? statuses)
    {
        var code = statuses?.FirstOrDefault(s => s.Code?.StartsWith(PowerStatePrefix, StringComparison.OrdinalIgnoreCase) == true)?.Code;
        return code?[PowerStatePrefix.Length..].ToLowerInvariant() switch
        {
            "running" => PowerState.Running,
            "stopped" => PowerState.Stopped,
            "deallocated" => PowerState.Deallocated,
            "starting" => PowerState.Starting,
            "stopping" => PowerState.Stopping,
            "deallocating" => PowerState.Deallocating,
            _ => PowerState.Unknown,
        };
    }

    public static MachineInstanceView ViewOf(VirtualMachineAgentInstanceView? agent, MaintenanceRedeployStatus? maintenance) =>
        new(AgentOf(agent), MaintenanceOf(maintenance));

    public static OsType? OsOf(SupportedOperatingSystemType? type) =>
        type == SupportedOperatingSystemType.Windows ? OsType.Windows
        : type == SupportedOperatingSystemType.Linux ? OsType.Linux
        : null;

    public static IReadOnlyDictionary<string, string> TagsOf(IDictionary<string, string>? tags) =>
        tags is null ? new Dictionary<string, string>() : new Dictionary<string, string>(tags, StringComparer.OrdinalIgnoreCase);

    // The agent reports "Ready" when it runs and processes extensions; anything else ("Not Ready", "Unavailable")
    // means Run Command cannot reach the guest.
    private static AgentStatus AgentOf(VirtualMachineAgentInstanceView? agent)
    {
        if (agent?.Statuses is not { Count: > 0 } statuses)
        {
            return AgentStatus.Unknown;
        }

        return statuses.Any(s => string.Equals(s.DisplayStatus?.Trim(), "Ready", StringComparison.OrdinalIgnoreCase))
            ? AgentStatus.Ready
            : AgentStatus.NotReady;
    }

    private static MaintenanceWindow? MaintenanceOf(MaintenanceRedeployStatus? status) =>
        status is null
            ? null
            : new MaintenanceWindow(
                status.IsCustomerInitiatedMaintenanceAllowed,
                status.PreMaintenanceWindowStartOn,
                status.PreMaintenanceWindowEndOn,
                status.MaintenanceWindowStartOn,
                status.MaintenanceWindowEndOn,
                status.LastOperationResultCode?.ToString());
}
