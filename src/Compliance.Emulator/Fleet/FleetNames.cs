namespace Compliance.Emulator;

/// <summary>
/// The spellings the fleet file uses for enumerated values.
/// </summary>
internal static class FleetNames
{
    public static readonly IReadOnlyList<(FleetPowerState Value, string Name)> PowerStates =
    [
        (FleetPowerState.Running, "running"),
        (FleetPowerState.Stopped, "stopped"),
        (FleetPowerState.Deallocated, "deallocated"),
        (FleetPowerState.Starting, "starting"),
        (FleetPowerState.Stopping, "stopping"),
        (FleetPowerState.Deallocating, "deallocating"),
    ];

    public static readonly IReadOnlyList<(FleetAgentStatus Value, string Name)> AgentStatuses =
    [
        (FleetAgentStatus.Ready, "Ready"),
        (FleetAgentStatus.NotReady, "NotReady"),
    ];

    public static readonly IReadOnlyList<(FleetOsType Value, string Name)> OsTypes =
    [
        (FleetOsType.Windows, "Windows"),
        (FleetOsType.Linux, "Linux"),
    ];

    public static readonly IReadOnlyList<(FleetRunCommandFailure Value, string Name)> RunCommandFailures =
    [
        (FleetRunCommandFailure.Conflict, "conflict"),
        (FleetRunCommandFailure.Timeout, "timeout"),
        (FleetRunCommandFailure.InternalError, "internalError"),
        (FleetRunCommandFailure.AgentNotReady, "agentNotReady"),
    ];

    public static readonly IReadOnlyList<(FleetInstallPatchesFailure Value, string Name)> InstallPatchesFailures =
    [
        (FleetInstallPatchesFailure.Conflict, "conflict"),
        (FleetInstallPatchesFailure.Failed, "failed"),
        (FleetInstallPatchesFailure.OperationFailed, "operationFailed"),
    ];

    public static string Of(FleetPowerState value) => NameOf(PowerStates, value);

    public static string Of(FleetAgentStatus value) => NameOf(AgentStatuses, value);

    public static string Of(FleetOsType value) => NameOf(OsTypes, value);

    public static string Of(FleetRunCommandFailure value) => NameOf(RunCommandFailures, value);

    public static string Of(FleetInstallPatchesFailure value) => NameOf(InstallPatchesFailures, value);

    private static string NameOf<T>(IReadOnlyList<(T Value, string Name)> names, T value)
        where T : struct, Enum
    {
        foreach (var (candidate, name) in names)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, "Not a value of the fleet format.");
    }
}
