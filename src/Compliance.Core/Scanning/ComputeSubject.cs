namespace Compliance.Core.Scanning;

/// <summary>
/// A <c>Microsoft.Compute</c> resource id taken apart: <c>/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Compute/</c>
/// followed by type and name pairs. Anything else (another provider, a stray segment, an odd count) is not one.
/// </summary>
internal sealed class ComputeSubject
{
    private readonly string[] _parts;

    private ComputeSubject(string[] parts, IReadOnlyList<string> types)
    {
        _parts = parts;
        Types = types;
    }

    /// <summary>The subscription id.</summary>
    public string SubscriptionId => _parts[1];

    /// <summary>The resource types from the outermost, for example <c>virtualMachineScaleSets</c>, <c>virtualMachines</c>.</summary>
    public IReadOnlyList<string> Types { get; }

    /// <summary>The types joined with '/', for example <c>virtualMachineScaleSets/virtualMachines</c>.</summary>
    public string TypePath => string.Join('/', Types);

    /// <summary>Parses <paramref name="resourceId"/>; <see langword="null"/> when it is not a Compute resource id.</summary>
    public static ComputeSubject? Parse(string? resourceId)
    {
        if (string.IsNullOrEmpty(resourceId) || resourceId[0] != '/')
        {
            return null;
        }

        var parts = resourceId.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 8 || parts.Length % 2 != 0
            || !parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase)
            || !parts[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase)
            || !parts[4].Equals("providers", StringComparison.OrdinalIgnoreCase)
            || !parts[5].Equals("Microsoft.Compute", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var types = new List<string>();
        for (var i = 6; i < parts.Length; i += 2)
        {
            types.Add(parts[i]);
        }

        return new ComputeSubject(parts, types);
    }

    /// <summary>The id of the resource of the first <paramref name="typeCount"/> types, in the casing given.</summary>
    public string Prefix(int typeCount) => "/" + string.Join('/', _parts, 0, 6 + (2 * typeCount));
}
