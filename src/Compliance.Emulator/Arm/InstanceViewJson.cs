using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Instance views of virtual machines and scale-set instances. The maintenance status
/// (<c>maintenanceRedeployStatus</c>) is served only here, where the Compute REST specification defines it
/// (<c>VirtualMachineInstanceView</c> and <c>VirtualMachineScaleSetVMInstanceView</c>): in a VM's or scale-set VM's
/// instance view, a VM read with <c>$expand=instanceView</c>, and a scale set's VM listing with
/// <c>$expand=instanceView</c>. The subscription list's <c>statusOnly=true</c> item carries the statuses alone.
/// </summary>
internal static class InstanceViewJson
{
    public const string AgentVersion = "2.7.41491.1102";

    public static JsonObject For(EmulatedMachine machine, DateTimeOffset now)
    {
        var view = new JsonObject { ["computerName"] = machine.ComputerName };
        var running = machine.PowerState == FleetPowerState.Running;
        var reporting = running && machine.AgentStatus == FleetAgentStatus.Ready;
        if (reporting && OsNameAndVersion(machine) is var (osName, osVersion))
        {
            view["osName"] = osName;
            view["osVersion"] = osVersion;
        }

        if (running)
        {
            view["vmAgent"] = Agent(machine.AgentStatus, now);
        }

        if (machine.Maintenance is { } maintenance)
        {
            view["maintenanceRedeployStatus"] = Maintenance(maintenance);
        }

        view["statuses"] = Statuses(machine.PowerState);
        return view;
    }

    /// <summary>Provisioning and power state, the part of the view that <c>statusOnly</c> lists carry.</summary>
    public static JsonArray Statuses(FleetPowerState powerState)
    {
        var state = FleetNames.Of(powerState);
        return new JsonArray(
            new JsonObject
            {
                ["code"] = "ProvisioningState/succeeded",
                ["level"] = "Info",
                ["displayStatus"] = "Provisioning succeeded",
            },
            new JsonObject
            {
                ["code"] = $"PowerState/{state}",
                ["level"] = "Info",
                ["displayStatus"] = $"VM {state}",
            });
    }

    private static JsonObject Agent(FleetAgentStatus status, DateTimeOffset now)
    {
        var ready = status == FleetAgentStatus.Ready;
        var agentStatus = ready
            ? new JsonObject
            {
                ["code"] = "ProvisioningState/succeeded",
                ["level"] = "Info",
                ["displayStatus"] = "Ready",
                ["message"] = "GuestAgent is running and processing the extensions.",
                ["time"] = ArmJson.Time(now),
            }
            : new JsonObject
            {
                ["code"] = "ProvisioningState/Unavailable",
                ["level"] = "Warning",
                ["displayStatus"] = "Not Ready",
                ["message"] = "VM status blob is found but not yet populated.",
                ["time"] = ArmJson.Time(now),
            };
        return new JsonObject
        {
            ["vmAgentVersion"] = ready ? AgentVersion : "Unknown",
            ["statuses"] = new JsonArray(agentStatus),
        };
    }

    private static JsonObject Maintenance(FleetMaintenance maintenance)
    {
        var status = new JsonObject();
        if (maintenance.IsCustomerInitiatedMaintenanceAllowed is { } allowed)
        {
            status["isCustomerInitiatedMaintenanceAllowed"] = allowed;
        }

        AddTime(status, "preMaintenanceWindowStartTime", maintenance.PreMaintenanceWindowStartTime);
        AddTime(status, "preMaintenanceWindowEndTime", maintenance.PreMaintenanceWindowEndTime);
        AddTime(status, "maintenanceWindowStartTime", maintenance.MaintenanceWindowStartTime);
        AddTime(status, "maintenanceWindowEndTime", maintenance.MaintenanceWindowEndTime);
        if (maintenance.LastOperationResultCode is { } code)
        {
            status["lastOperationResultCode"] = code;
        }

        if (maintenance.LastOperationMessage is { } message)
        {
            status["lastOperationMessage"] = message;
        }

        return status;
    }

    private static void AddTime(JsonObject target, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            target[name] = ArmJson.Time(value);
        }
    }

    // The agent reports the OS it sees; take it from the guest report when that has it.
    private static (string Name, string Version)? OsNameAndVersion(EmulatedMachine machine)
    {
        if (machine.Guest is not { ValueKind: JsonValueKind.Object } guest)
        {
            return null;
        }

        if (machine.OsType == FleetOsType.Windows)
        {
            if (!guest.TryGetProperty("product", out var product) || product.ValueKind != JsonValueKind.Object
                || Text(product, "caption") is not { } caption || Text(product, "version") is not { } version)
            {
                return null;
            }

            var name = caption.StartsWith("Microsoft ", StringComparison.Ordinal) ? caption["Microsoft ".Length..] : caption;
            var build = product.TryGetProperty("ubr", out var ubr) && ubr.ValueKind == JsonValueKind.Number && ubr.TryGetInt32(out var number)
                ? $"{version}.{number.ToString(CultureInfo.InvariantCulture)}"
                : version;
            return (name, build);
        }

        if (!guest.TryGetProperty("distro", out var distro) || distro.ValueKind != JsonValueKind.Object
            || Text(distro, "id") is not { } id || Text(distro, "versionId") is not { } versionId)
        {
            return null;
        }

        return (id, versionId);
    }

    private static string? Text(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
