using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Compliance.Emulator;

/// <summary>
/// Writes the model in the fleet file format. Output depends only on the model, so equal fleets
/// give byte-identical files.
/// </summary>
internal static class FleetWriter
{
    public static string Write(FleetDocument document)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("subscriptions");
            foreach (var subscription in document.Subscriptions)
            {
                WriteSubscription(writer, subscription);
            }

            writer.WriteEndArray();
            if (document.CloudServiceOsVersions is { } versions)
            {
                writer.WriteStartArray("cloudServiceOsVersions");
                foreach (var version in versions)
                {
                    WriteOsVersion(writer, version);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    private static void WriteSubscription(Utf8JsonWriter writer, FleetSubscription subscription)
    {
        writer.WriteStartObject();
        writer.WriteString("subscriptionId", subscription.SubscriptionId);
        writer.WriteString("displayName", subscription.DisplayName);
        writer.WriteStartArray("virtualMachines");
        foreach (var vm in subscription.VirtualMachines)
        {
            WriteVirtualMachine(writer, vm);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("scaleSets");
        foreach (var scaleSet in subscription.ScaleSets)
        {
            WriteScaleSet(writer, scaleSet);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("cloudServices");
        foreach (var service in subscription.CloudServices)
        {
            WriteCloudService(writer, service);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteVirtualMachine(Utf8JsonWriter writer, FleetVirtualMachine vm)
    {
        writer.WriteStartObject();
        writer.WriteString("name", vm.Name);
        writer.WriteString("resourceGroup", vm.ResourceGroup);
        writer.WriteString("location", vm.Location);
        writer.WriteString("osType", FleetNames.Of(vm.OsType));
        writer.WriteString("vmSize", vm.VmSize);
        WriteImage(writer, vm.Image);
        WriteMachineState(writer, vm.PowerState, vm.AgentStatus, vm.Tags, vm.Maintenance, vm.Guest, vm.RunCommand);
        WriteInstallPatches(writer, vm.InstallPatches);
        writer.WriteEndObject();
    }

    private static void WriteScaleSet(Utf8JsonWriter writer, FleetScaleSet scaleSet)
    {
        writer.WriteStartObject();
        writer.WriteString("name", scaleSet.Name);
        writer.WriteString("resourceGroup", scaleSet.ResourceGroup);
        writer.WriteString("location", scaleSet.Location);
        writer.WriteString("osType", FleetNames.Of(scaleSet.OsType));
        writer.WriteString("vmSize", scaleSet.VmSize);
        WriteImage(writer, scaleSet.Image);
        WriteTags(writer, scaleSet.Tags);
        writer.WriteStartArray("instances");
        foreach (var instance in scaleSet.Instances)
        {
            writer.WriteStartObject();
            writer.WriteString("instanceId", instance.InstanceId);
            writer.WriteString("osType", FleetNames.Of(instance.OsType));
            WriteMachineState(writer, instance.PowerState, instance.AgentStatus, instance.Tags, instance.Maintenance, instance.Guest, instance.RunCommand);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteCloudService(Utf8JsonWriter writer, FleetCloudService service)
    {
        writer.WriteStartObject();
        writer.WriteString("name", service.Name);
        writer.WriteString("resourceGroup", service.ResourceGroup);
        writer.WriteString("location", service.Location);
        writer.WriteString("configuration", service.Configuration);
        WriteTags(writer, service.Tags);
        if (service.Roles is { } roles)
        {
            writer.WriteStartArray("roles");
            foreach (var role in roles)
            {
                writer.WriteStartObject();
                writer.WriteString("name", role.Name);
                writer.WriteNumber("instances", role.Instances);
                writer.WriteString("vmSize", role.VmSize);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteOsVersion(Utf8JsonWriter writer, FleetOsVersion version)
    {
        writer.WriteStartObject();
        writer.WriteString("version", version.Version);
        writer.WriteString("family", version.Family);
        writer.WriteBoolean("isDefault", version.IsDefault);
        writer.WriteBoolean("isActive", version.IsActive);
        if (version.Label is not null)
        {
            writer.WriteString("label", version.Label);
        }

        if (version.FamilyLabel is not null)
        {
            writer.WriteString("familyLabel", version.FamilyLabel);
        }

        writer.WriteEndObject();
    }

    private static void WriteMachineState(
        Utf8JsonWriter writer,
        FleetPowerState powerState,
        FleetAgentStatus agentStatus,
        IReadOnlyDictionary<string, string> tags,
        FleetMaintenance? maintenance,
        JsonElement? guest,
        FleetRunCommand? runCommand)
    {
        writer.WriteString("powerState", FleetNames.Of(powerState));
        writer.WriteString("agentStatus", FleetNames.Of(agentStatus));
        WriteTags(writer, tags);
        if (maintenance is not null)
        {
            WriteMaintenance(writer, maintenance);
        }

        if (guest is { } report)
        {
            writer.WritePropertyName("guest");
            report.WriteTo(writer);
        }

        if (runCommand is not null)
        {
            writer.WriteStartObject("runCommand");
            writer.WriteNumber("latencyMs", runCommand.LatencyMs);
            if (runCommand.Failure is { } failure)
            {
                writer.WriteString("failure", FleetNames.Of(failure));
            }
            else
            {
                writer.WriteNull("failure");
            }

            WriteOptional(writer, "rawOutput", runCommand.RawOutput);
            WriteOptional(writer, "stderr", runCommand.Stderr);
            writer.WriteEndObject();
        }
    }

    private static void WriteInstallPatches(Utf8JsonWriter writer, FleetInstallPatches? installPatches)
    {
        if (installPatches is null)
        {
            return;
        }

        writer.WriteStartObject("installPatches");
        writer.WriteNumber("latencyMs", installPatches.LatencyMs);
        if (installPatches.Failure is { } failure)
        {
            writer.WriteString("failure", FleetNames.Of(failure));
        }
        else
        {
            writer.WriteNull("failure");
        }

        WriteOptional(writer, "errorCode", installPatches.ErrorCode);
        WriteOptional(writer, "errorMessage", installPatches.ErrorMessage);
        writer.WriteBoolean("rebootRequired", installPatches.RebootRequired);
        writer.WriteNumber("installedPatchCount", installPatches.InstalledPatchCount);
        if (installPatches.PatchedGuest is { } patched)
        {
            writer.WritePropertyName("patchedGuest");
            patched.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static void WriteMaintenance(Utf8JsonWriter writer, FleetMaintenance maintenance)
    {
        writer.WriteStartObject("maintenance");
        if (maintenance.IsCustomerInitiatedMaintenanceAllowed is { } allowed)
        {
            writer.WriteBoolean("isCustomerInitiatedMaintenanceAllowed", allowed);
        }

        WriteOptional(writer, "preMaintenanceWindowStartTime", maintenance.PreMaintenanceWindowStartTime);
        WriteOptional(writer, "preMaintenanceWindowEndTime", maintenance.PreMaintenanceWindowEndTime);
        WriteOptional(writer, "maintenanceWindowStartTime", maintenance.MaintenanceWindowStartTime);
        WriteOptional(writer, "maintenanceWindowEndTime", maintenance.MaintenanceWindowEndTime);
        WriteOptional(writer, "lastOperationResultCode", maintenance.LastOperationResultCode);
        WriteOptional(writer, "lastOperationMessage", maintenance.LastOperationMessage);
        writer.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter writer, FleetImage? image)
    {
        if (image is null)
        {
            return;
        }

        writer.WriteStartObject("image");
        writer.WriteString("publisher", image.Publisher);
        writer.WriteString("offer", image.Offer);
        writer.WriteString("sku", image.Sku);
        writer.WriteString("version", image.Version);
        writer.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> tags)
    {
        writer.WriteStartObject("tags");
        foreach (var (name, value) in tags)
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        }
    }
}
