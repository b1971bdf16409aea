using System.Globalization;
using System.Text.Json;

namespace Compliance.Emulator;

/// <summary>
/// Turns the JSON of a fleet file into the model, checking types and enumerated values and
/// naming the JSON path of anything wrong. Rules that span values live in <see cref="FleetValidator"/>.
/// </summary>
internal sealed class FleetReader(string sourceName)
{
    public FleetDocument Read(JsonElement root)
    {
        ExpectObject(root, "$");
        var subscriptions = ReadArray(root, "subscriptions", "$", ReadSubscription, required: true);
        IReadOnlyList<FleetOsVersion>? osVersions = null;
        if (Optional(root, "cloudServiceOsVersions") is not null)
        {
            osVersions = ReadArray(root, "cloudServiceOsVersions", "$", ReadOsVersion, required: true);
        }

        return new FleetDocument { Subscriptions = subscriptions, CloudServiceOsVersions = osVersions };
    }

    private FleetSubscription ReadSubscription(JsonElement element, string path)
    {
        var id = RequiredString(element, "subscriptionId", path);
        var prefix = id.Length >= 8 ? id[..8] : id;
        return new FleetSubscription
        {
            SubscriptionId = id,
            DisplayName = OptionalString(element, "displayName", path) ?? $"subscription-{prefix}",
            VirtualMachines = ReadArray(element, "virtualMachines", path, ReadVirtualMachine, required: false),
            ScaleSets = ReadArray(element, "scaleSets", path, ReadScaleSet, required: false),
            CloudServices = ReadArray(element, "cloudServices", path, ReadCloudService, required: false),
        };
    }

    private FleetVirtualMachine ReadVirtualMachine(JsonElement element, string path) => new()
    {
        Name = RequiredString(element, "name", path),
        ResourceGroup = RequiredString(element, "resourceGroup", path),
        Location = OptionalString(element, "location", path) ?? "westeurope",
        OsType = RequiredEnum(element, "osType", path, FleetNames.OsTypes, "an OS type"),
        VmSize = OptionalString(element, "vmSize", path) ?? "Standard_D2s_v3",
        Image = ReadImage(element, path),
        PowerState = OptionalEnum(element, "powerState", path, FleetNames.PowerStates, "a power state") ?? FleetPowerState.Running,
        AgentStatus = OptionalEnum(element, "agentStatus", path, FleetNames.AgentStatuses, "an agent status") ?? FleetAgentStatus.Ready,
        Tags = ReadTags(element, path),
        Maintenance = ReadMaintenance(element, path),
        Guest = ReadGuest(element),
        RunCommand = ReadRunCommand(element, path),
        InstallPatches = ReadInstallPatches(element, path),
    };

    private FleetScaleSet ReadScaleSet(JsonElement element, string path)
    {
        var osType = RequiredEnum(element, "osType", path, FleetNames.OsTypes, "an OS type");
        return new FleetScaleSet
        {
            Name = RequiredString(element, "name", path),
            ResourceGroup = RequiredString(element, "resourceGroup", path),
            Location = OptionalString(element, "location", path) ?? "westeurope",
            OsType = osType,
            VmSize = OptionalString(element, "vmSize", path) ?? "Standard_D2s_v3",
            Image = ReadImage(element, path),
            Tags = ReadTags(element, path),
            Instances = ReadArray(element, "instances", path, (item, itemPath, index) => ReadInstance(item, itemPath, index, osType), required: false),
        };
    }

    private FleetScaleSetInstance ReadInstance(JsonElement element, string path, int index, FleetOsType scaleSetOsType) => new()
    {
        InstanceId = OptionalString(element, "instanceId", path) ?? index.ToString(CultureInfo.InvariantCulture),
        OsType = OptionalEnum(element, "osType", path, FleetNames.OsTypes, "an OS type") ?? scaleSetOsType,
        PowerState = OptionalEnum(element, "powerState", path, FleetNames.PowerStates, "a power state") ?? FleetPowerState.Running,
        AgentStatus = OptionalEnum(element, "agentStatus", path, FleetNames.AgentStatuses, "an agent status") ?? FleetAgentStatus.Ready,
        Tags = ReadTags(element, path),
        Maintenance = ReadMaintenance(element, path),
        Guest = ReadGuest(element),
        RunCommand = ReadRunCommand(element, path),
    };

    private FleetCloudService ReadCloudService(JsonElement element, string path)
    {
        IReadOnlyList<FleetCloudServiceRole>? roles = null;
        if (Optional(element, "roles") is not null)
        {
            roles = ReadArray(element, "roles", path, ReadRole, required: true);
        }

        return new FleetCloudService
        {
            Name = RequiredString(element, "name", path),
            ResourceGroup = RequiredString(element, "resourceGroup", path),
            Location = OptionalString(element, "location", path) ?? "westeurope",
            Configuration = RequiredString(element, "configuration", path),
            Tags = ReadTags(element, path),
            Roles = roles,
        };
    }

    private FleetCloudServiceRole ReadRole(JsonElement element, string path) => new()
    {
        Name = RequiredString(element, "name", path),
        Instances = OptionalInt(element, "instances", path) ?? throw Error($"{path}.instances", "is required."),
        VmSize = OptionalString(element, "vmSize", path) ?? "Standard_D1_v2",
    };

    private FleetOsVersion ReadOsVersion(JsonElement element, string path) => new()
    {
        Version = RequiredString(element, "version", path),
        Family = RequiredString(element, "family", path),
        IsDefault = OptionalBool(element, "isDefault", path) ?? false,
        IsActive = OptionalBool(element, "isActive", path) ?? true,
        Label = OptionalString(element, "label", path),
        FamilyLabel = OptionalString(element, "familyLabel", path),
    };

    private FleetImage? ReadImage(JsonElement owner, string ownerPath)
    {
        if (Optional(owner, "image") is not { } image)
        {
            return null;
        }

        var path = $"{ownerPath}.image";
        ExpectObject(image, path);
        return new FleetImage
        {
            Publisher = RequiredString(image, "publisher", path),
            Offer = RequiredString(image, "offer", path),
            Sku = RequiredString(image, "sku", path),
            Version = OptionalString(image, "version", path) ?? "latest",
        };
    }

    private IReadOnlyDictionary<string, string> ReadTags(JsonElement owner, string ownerPath)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Optional(owner, "tags") is not { } element)
        {
            return tags;
        }

        var path = $"{ownerPath}.tags";
        ExpectObject(element, path);
        foreach (var tag in element.EnumerateObject())
        {
            var tagPath = $"{path}.{tag.Name}";
            if (tag.Value.ValueKind != JsonValueKind.String)
            {
                throw Error(tagPath, $"must be a string, not {Describe(tag.Value)}.");
            }

            if (!tags.TryAdd(tag.Name, tag.Value.GetString() ?? ""))
            {
                throw Error(tagPath, "is a duplicate tag name (tag names are case-insensitive).");
            }
        }

        return tags;
    }

    private FleetMaintenance? ReadMaintenance(JsonElement owner, string ownerPath)
    {
        if (Optional(owner, "maintenance") is not { } element)
        {
            return null;
        }

        var path = $"{ownerPath}.maintenance";
        ExpectObject(element, path);
        return new FleetMaintenance
        {
            IsCustomerInitiatedMaintenanceAllowed = OptionalBool(element, "isCustomerInitiatedMaintenanceAllowed", path),
            PreMaintenanceWindowStartTime = OptionalTime(element, "preMaintenanceWindowStartTime", path),
            PreMaintenanceWindowEndTime = OptionalTime(element, "preMaintenanceWindowEndTime", path),
            MaintenanceWindowStartTime = OptionalTime(element, "maintenanceWindowStartTime", path),
            MaintenanceWindowEndTime = OptionalTime(element, "maintenanceWindowEndTime", path),
            LastOperationResultCode = OptionalString(element, "lastOperationResultCode", path),
            LastOperationMessage = OptionalString(element, "lastOperationMessage", path),
        };
    }

    private static JsonElement? ReadGuest(JsonElement owner) =>
        Optional(owner, "guest") is { } guest ? guest.Clone() : null;

    private FleetRunCommand? ReadRunCommand(JsonElement owner, string ownerPath)
    {
        if (Optional(owner, "runCommand") is not { } element)
        {
            return null;
        }

        var path = $"{ownerPath}.runCommand";
        ExpectObject(element, path);
        var latency = OptionalInt(element, "latencyMs", path) ?? 0;
        if (latency < 0)
        {
            throw Error($"{path}.latencyMs", $"must be 0 or more, not {latency}.");
        }

        return new FleetRunCommand
        {
            LatencyMs = latency,
            Failure = OptionalEnum(element, "failure", path, FleetNames.RunCommandFailures, "a Run Command failure"),
            RawOutput = OptionalString(element, "rawOutput", path),
            Stderr = OptionalString(element, "stderr", path),
        };
    }

    private FleetInstallPatches? ReadInstallPatches(JsonElement owner, string ownerPath)
    {
        if (Optional(owner, "installPatches") is not { } element)
        {
            return null;
        }

        var path = $"{ownerPath}.installPatches";
        ExpectObject(element, path);
        var latency = OptionalInt(element, "latencyMs", path) ?? 0;
        if (latency < 0)
        {
            throw Error($"{path}.latencyMs", $"must be 0 or more, not {latency}.");
        }

        var installed = OptionalInt(element, "installedPatchCount", path) ?? 2;
        if (installed < 1)
        {
            throw Error($"{path}.installedPatchCount", $"must be 1 or more, not {installed}.");
        }

        if (Optional(element, "patchedGuest") is { } patched && patched.ValueKind != JsonValueKind.Object)
        {
            throw Error($"{path}.patchedGuest", $"must be an object, not {Describe(patched)}.");
        }

        return new FleetInstallPatches
        {
            LatencyMs = latency,
            Failure = OptionalEnum(element, "failure", path, FleetNames.InstallPatchesFailures, "an installPatches failure"),
            ErrorCode = OptionalString(element, "errorCode", path),
            ErrorMessage = OptionalString(element, "errorMessage", path),
            RebootRequired = OptionalBool(element, "rebootRequired", path) ?? true,
            InstalledPatchCount = installed,
            PatchedGuest = Optional(element, "patchedGuest") is { } guest ? guest.Clone() : null,
        };
    }

    private IReadOnlyList<T> ReadArray<T>(JsonElement owner, string name, string ownerPath, Func<JsonElement, string, T> read, bool required) =>
        ReadArray(owner, name, ownerPath, (item, itemPath, _) => read(item, itemPath), required);

    private IReadOnlyList<T> ReadArray<T>(JsonElement owner, string name, string ownerPath, Func<JsonElement, string, int, T> read, bool required)
    {
        var path = $"{ownerPath}.{name}";
        if (Optional(owner, name) is not { } array)
        {
            return required ? throw Error(path, "is required.") : [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, $"must be an array, not {Describe(array)}.");
        }

        var items = new List<T>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}[{index}]";
            ExpectObject(item, itemPath);
            items.Add(read(item, itemPath, index));
            index++;
        }

        return items;
    }

    private string RequiredString(JsonElement owner, string name, string ownerPath) =>
        OptionalString(owner, name, ownerPath) ?? throw Error($"{ownerPath}.{name}", "is required.");

    private string? OptionalString(JsonElement owner, string name, string ownerPath)
    {
        if (Optional(owner, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Error($"{ownerPath}.{name}", $"must be a string, not {Describe(value)}.");
    }

    private bool? OptionalBool(JsonElement owner, string name, string ownerPath)
    {
        if (Optional(owner, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"{ownerPath}.{name}", $"must be true or false, not {Describe(value)}."),
        };
    }

    private int? OptionalInt(JsonElement owner, string name, string ownerPath)
    {
        if (Optional(owner, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Error($"{ownerPath}.{name}", $"must be an integer, not {Describe(value)}.");
    }

    private DateTimeOffset? OptionalTime(JsonElement owner, string name, string ownerPath)
    {
        var text = OptionalString(owner, name, ownerPath);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw Error($"{ownerPath}.{name}", $"'{text}' is not an ISO 8601 date and time.");
    }

    private T RequiredEnum<T>(JsonElement owner, string name, string ownerPath, IReadOnlyList<(T Value, string Name)> names, string what)
        where T : struct, Enum =>
        OptionalEnum(owner, name, ownerPath, names, what) ?? throw Error($"{ownerPath}.{name}", $"is required; expected one of {string.Join(", ", names.Select(n => n.Name))}.");

    private T? OptionalEnum<T>(JsonElement owner, string name, string ownerPath, IReadOnlyList<(T Value, string Name)> names, string what)
        where T : struct, Enum
    {
        var text = OptionalString(owner, name, ownerPath);
        if (text is null)
        {
            return null;
        }

        foreach (var (value, spelling) in names)
        {
            if (string.Equals(spelling, text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw Error($"{ownerPath}.{name}", $"'{text}' is not {what}; expected one of {string.Join(", ", names.Select(n => n.Name))}.");
    }

    private void ExpectObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"must be an object, not {Describe(element)}.");
        }
    }

    // JSON null counts as absent so that files may spell out "failure": null and the like.
    private static JsonElement? Optional(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => "null",
    };

    private FleetFormatException Error(string path, string problem) => FleetFormatException.AtPath(sourceName, path, problem);
}
