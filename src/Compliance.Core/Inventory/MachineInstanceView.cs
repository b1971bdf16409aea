namespace Compliance.Core.Inventory;

/// <summary>The parts of a machine's instance view a check needs: the agent and planned maintenance.</summary>
public sealed record MachineInstanceView(AgentStatus Agent, MaintenanceWindow? Maintenance)
{
    /// <summary>An instance view that says nothing.</summary>
    public static MachineInstanceView Unknown { get; } = new(AgentStatus.Unknown, null);
}
