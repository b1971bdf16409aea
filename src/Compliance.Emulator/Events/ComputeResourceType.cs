namespace Compliance.Emulator.Events;

/// <summary>
/// The resource types, as they appear in ARM operation names, of the Compute resources the emulator serves, with the
/// spelling of each type's actions and child resources in Microsoft's operation list for <c>Microsoft.Compute</c>
/// (https://learn.microsoft.com/azure/role-based-access-control/permissions/compute). ARM spells them in camel case,
/// and not the same way for every type: a Cloud Service powers off with <c>poweroff</c>, a virtual machine with
/// <c>powerOff</c>.
/// </summary>
internal static class ComputeResourceType
{
    public const string VirtualMachines = "Microsoft.Compute/virtualMachines";
    public const string ScaleSets = "Microsoft.Compute/virtualMachineScaleSets";
    public const string ScaleSetVirtualMachines = "Microsoft.Compute/virtualMachineScaleSets/virtualMachines";
    public const string CloudServices = "Microsoft.Compute/cloudServices";

    private static readonly Dictionary<string, string[]> _actions = new(StringComparer.Ordinal)
    {
        [VirtualMachines] =
        [
            "start", "powerOff", "reapply", "redeploy", "restart", "deallocate", "generalize", "capture", "runCommand",
            "performMaintenance", "reimage", "installPatches", "assessPatches", "cancelPatchInstallation", "simulateEviction",
        ],
        [ScaleSetVirtualMachines] =
        [
            "start", "powerOff", "restart", "deallocate", "reimage", "reimageAll", "approveRollingUpgrade", "redeploy",
            "performMaintenance", "runCommand", "simulateEviction",
        ],
        [ScaleSets] =
        [
            "delete", "start", "powerOff", "reapply", "restart", "deallocate", "manualUpgrade", "reimage", "reimageAll",
            "approveRollingUpgrade", "redeploy", "performMaintenance", "scale", "osRollingUpgrade", "rollingUpgrades",
        ],
        [CloudServices] = ["poweroff", "start", "restart", "reimage", "rebuild", "delete"],
    };

    // Child resources whose write changes what runs in the guest.
    private static readonly Dictionary<string, string[]> _children = new(StringComparer.Ordinal)
    {
        [VirtualMachines] = ["extensions", "runCommands"],
        [ScaleSetVirtualMachines] = ["extensions", "runCommands"],
        [ScaleSets] = ["extensions"],
        [CloudServices] = [],
    };

    /// <summary>The type of a virtual machine, scale set, scale-set instance or Cloud Service id, whatever its casing.</summary>
    /// <exception cref="ArgumentException">The id names none of them.</exception>
    public static string Of(string resourceId, string paramName = "resourceId")
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceId, paramName);

        // "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Compute/{type}/{name}[/virtualMachines/{instance}]"
        var segments = resourceId.Split('/');
        var wellFormed = segments.Length is 9 or 11
            && segments[0].Length == 0
            && segments.Skip(1).All(s => s.Length > 0)
            && Is(segments[1], "subscriptions")
            && Is(segments[3], "resourceGroups")
            && Is(segments[5], "providers")
            && Is(segments[6], "Microsoft.Compute");
        var type = !wellFormed ? null : segments.Length switch
        {
            9 when Is(segments[7], "virtualMachines") => VirtualMachines,
            9 when Is(segments[7], "virtualMachineScaleSets") => ScaleSets,
            9 when Is(segments[7], "cloudServices") => CloudServices,
            11 when Is(segments[7], "virtualMachineScaleSets") && Is(segments[9], "virtualMachines") => ScaleSetVirtualMachines,
            _ => null,
        };
        return type ?? throw new ArgumentException(
            $"'{resourceId}' is not the id of a virtual machine, scale set, scale-set instance or Cloud Service.", paramName);
    }

    /// <summary>The action as Microsoft's operation list spells it for <paramref name="type"/>, or <see langword="null"/> when it lists no such action.</summary>
    public static string? Action(string type, string action) =>
        Array.Find(_actions[type], known => string.Equals(known, action, StringComparison.OrdinalIgnoreCase));

    /// <summary>The child resource type as Microsoft's operation list spells it, or <see langword="null"/> when <paramref name="type"/> has no such child.</summary>
    public static string? Child(string type, string child) =>
        Array.Find(_children[type], known => string.Equals(known, child, StringComparison.OrdinalIgnoreCase));

    private static bool Is(string segment, string expected) => string.Equals(segment, expected, StringComparison.OrdinalIgnoreCase);
}
