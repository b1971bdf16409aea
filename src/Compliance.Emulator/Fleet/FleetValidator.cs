namespace Compliance.Emulator;

/// <summary>
/// The rules of the fleet format that the model's types cannot express: GUID subscription ids,
/// resource names that fit in an ARM path, and uniqueness. Applied to parsed files and to
/// documents built in code alike.
/// </summary>
internal static class FleetValidator
{
    private static readonly char[] _forbiddenNameCharacters = ['/', '\\', '?', '#', '%'];

    public static void Validate(FleetDocument document, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(document);
        var subscriptionIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var s = 0; s < document.Subscriptions.Count; s++)
        {
            var subscription = document.Subscriptions[s];
            var path = $"$.subscriptions[{s}]";
            if (!Guid.TryParseExact(subscription.SubscriptionId, "D", out _))
            {
                throw FleetFormatException.AtPath(sourceName, $"{path}.subscriptionId", $"'{subscription.SubscriptionId}' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).");
            }

            if (!subscriptionIds.Add(subscription.SubscriptionId))
            {
                throw FleetFormatException.AtPath(sourceName, $"{path}.subscriptionId", $"subscription '{subscription.SubscriptionId}' appears twice.");
            }

            ValidateSubscription(subscription, path, sourceName);
        }

        var osVersions = document.CloudServiceOsVersions ?? [];
        var versions = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var v = 0; v < osVersions.Count; v++)
        {
            var path = $"$.cloudServiceOsVersions[{v}]";
            CheckName(osVersions[v].Version, $"{path}.version", sourceName);
            if (string.IsNullOrWhiteSpace(osVersions[v].Family))
            {
                throw FleetFormatException.AtPath(sourceName, $"{path}.family", "must not be empty.");
            }

            if (!versions.Add(osVersions[v].Version))
            {
                throw FleetFormatException.AtPath(sourceName, $"{path}.version", $"'{osVersions[v].Version}' appears twice.");
            }
        }
    }

    private static void ValidateSubscription(FleetSubscription subscription, string path, string sourceName)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < subscription.VirtualMachines.Count; i++)
        {
            var vm = subscription.VirtualMachines[i];
            var vmPath = $"{path}.virtualMachines[{i}]";
            CheckResource(vm.Name, vm.ResourceGroup, vm.Location, vmPath, sourceName);
            CheckRunCommand(vm.RunCommand, vmPath, sourceName);
            CheckInstallPatches(vm.InstallPatches, vmPath, sourceName);
            CheckUnique(names, "virtualMachines", vm.ResourceGroup, vm.Name, $"{vmPath}.name", sourceName);
        }

        for (var i = 0; i < subscription.ScaleSets.Count; i++)
        {
            var scaleSet = subscription.ScaleSets[i];
            var setPath = $"{path}.scaleSets[{i}]";
            CheckResource(scaleSet.Name, scaleSet.ResourceGroup, scaleSet.Location, setPath, sourceName);
            CheckUnique(names, "virtualMachineScaleSets", scaleSet.ResourceGroup, scaleSet.Name, $"{setPath}.name", sourceName);
            var instanceIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var j = 0; j < scaleSet.Instances.Count; j++)
            {
                var instance = scaleSet.Instances[j];
                var instancePath = $"{setPath}.instances[{j}]";
                CheckName(instance.InstanceId, $"{instancePath}.instanceId", sourceName);
                CheckRunCommand(instance.RunCommand, instancePath, sourceName);
                if (!instanceIds.Add(instance.InstanceId))
                {
                    throw FleetFormatException.AtPath(sourceName, $"{instancePath}.instanceId", $"instance id '{instance.InstanceId}' appears twice in scale set '{scaleSet.Name}'.");
                }
            }
        }

        for (var i = 0; i < subscription.CloudServices.Count; i++)
        {
            var service = subscription.CloudServices[i];
            var servicePath = $"{path}.cloudServices[{i}]";
            CheckResource(service.Name, service.ResourceGroup, service.Location, servicePath, sourceName);
            CheckUnique(names, "cloudServices", service.ResourceGroup, service.Name, $"{servicePath}.name", sourceName);
            var roles = service.Roles ?? [];
            for (var r = 0; r < roles.Count; r++)
            {
                var rolePath = $"{servicePath}.roles[{r}]";
                CheckName(roles[r].Name, $"{rolePath}.name", sourceName);
                if (roles[r].Instances < 0)
                {
                    throw FleetFormatException.AtPath(sourceName, $"{rolePath}.instances", $"must be 0 or more, not {roles[r].Instances}.");
                }
            }
        }
    }

    private static void CheckResource(string name, string resourceGroup, string location, string path, string sourceName)
    {
        CheckName(name, $"{path}.name", sourceName);
        CheckName(resourceGroup, $"{path}.resourceGroup", sourceName);
        CheckName(location, $"{path}.location", sourceName);
    }

    private static void CheckRunCommand(FleetRunCommand? runCommand, string path, string sourceName)
    {
        if (runCommand is { LatencyMs: < 0 })
        {
            throw FleetFormatException.AtPath(sourceName, $"{path}.runCommand.latencyMs", $"must be 0 or more, not {runCommand.LatencyMs}.");
        }
    }

    private static void CheckInstallPatches(FleetInstallPatches? installPatches, string path, string sourceName)
    {
        if (installPatches is { LatencyMs: < 0 })
        {
            throw FleetFormatException.AtPath(sourceName, $"{path}.installPatches.latencyMs", $"must be 0 or more, not {installPatches.LatencyMs}.");
        }

        if (installPatches is { InstalledPatchCount: < 1 })
        {
            throw FleetFormatException.AtPath(sourceName, $"{path}.installPatches.installedPatchCount", $"must be 1 or more, not {installPatches.InstalledPatchCount}.");
        }
    }

    private static void CheckUnique(HashSet<string> seen, string type, string resourceGroup, string name, string path, string sourceName)
    {
        if (!seen.Add($"{type}/{resourceGroup}/{name}"))
        {
            throw FleetFormatException.AtPath(sourceName, path, $"duplicate name: '{name}' is already used by another of the subscription's {type} in resource group '{resourceGroup}' (names are case-insensitive).");
        }
    }

    private static void CheckName(string? name, string path, string sourceName)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw FleetFormatException.AtPath(sourceName, path, "must not be empty.");
        }

        if (name.IndexOfAny(_forbiddenNameCharacters) >= 0 || name.Any(char.IsWhiteSpace))
        {
            throw FleetFormatException.AtPath(sourceName, path, $"'{name}' must not contain whitespace or any of / \\ ? # %.");
        }
    }
}
