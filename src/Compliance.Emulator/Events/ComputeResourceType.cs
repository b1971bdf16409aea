namespace Compliance.Emulator.Events;

/// <summary>
/// The resource type, as it appears in ARM operation names, of the Compute resources the emulator serves.
/// </summary>
internal static class ComputeResourceType
{
    public const string VirtualMachines = "Microsoft.Compute/virtualMachines";
    public const string ScaleSetVirtualMachines = "Microsoft.Compute/virtualMachineScaleSets/virtualMachines";
    public const string CloudServices = "Microsoft.Compute/cloudServices";

    /// <summary>The type of a virtual machine, scale-set instance or Cloud Service id, whatever its casing.</summary>
    /// <exception cref="ArgumentException">The id names none of them.</exception>
    public static string Of(string resourceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceId);

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
            9 when Is(segments[7], "cloudServices") => CloudServices,
            11 when Is(segments[7], "virtualMachineScaleSets") && Is(segments[9], "virtualMachines") => ScaleSetVirtualMachines,
            _ => null,
        };
        return type ?? throw new ArgumentException(
            $"'{resourceId}' is not the id of a virtual machine, scale-set instance or Cloud Service.", nameof(resourceId));
    }

    private static bool Is(string segment, string expected) => string.Equals(segment, expected, StringComparison.OrdinalIgnoreCase);
}
