namespace Compliance.Core.Exemptions;

/// <summary>
/// The scope of an exemption: <c>/subscriptions/{guid}</c>, <c>/subscriptions/{guid}/resourceGroups/{name}</c>, or the
/// id of a virtual machine, a scale set (its instances), a scale-set instance or a Cloud Service. Ids are compared as
/// ARM compares them, case-insensitively, and by whole segments: <c>rg1</c> does not contain <c>rg10</c>'s resources.
/// </summary>
public static class ExemptionScope
{
    private const string Compute = "Microsoft.Compute";

    /// <summary>
    /// The scope in canonical form (no trailing slash, the subscription's GUID lower-case, the fixed segments spelled as
    /// ARM spells them; names keep the casing given), or <see langword="null"/> with <paramref name="error"/> when
    /// <paramref name="scope"/> is none of the forms above.
    /// </summary>
    public static string? Normalize(string? scope, out string? error)
    {
        error = "must be /subscriptions/{id}, /subscriptions/{id}/resourceGroups/{name}, or the id of a virtual machine, scale set, scale-set instance or Cloud Service";
        if (string.IsNullOrWhiteSpace(scope) || scope.Length > 1024 || !scope.StartsWith('/'))
        {
            return null;
        }

        var parts = scope.Trim().TrimEnd('/')[1..].Split('/');
        if (parts.Any(p => p.Length == 0 || !IsName(p)))
        {
            return null;
        }

        if (parts.Length < 2 || !Is(parts[0], "subscriptions") || !Guid.TryParseExact(parts[1], "D", out var subscription))
        {
            return null;
        }

        var canonical = $"/subscriptions/{subscription:D}";
        if (parts.Length == 2)
        {
            error = null;
            return canonical;
        }

        if (parts.Length < 4 || !Is(parts[2], "resourceGroups"))
        {
            return null;
        }

        canonical += $"/resourceGroups/{parts[3]}";
        if (parts.Length == 4)
        {
            error = null;
            return canonical;
        }

        if (parts.Length < 8 || !Is(parts[4], "providers") || !Is(parts[5], Compute))
        {
            return null;
        }

        string? resource = (parts.Length, parts[6].ToLowerInvariant()) switch
        {
            (8, "virtualmachines") => $"/providers/{Compute}/virtualMachines/{parts[7]}",
            (8, "cloudservices") => $"/providers/{Compute}/cloudServices/{parts[7]}",
            (8, "virtualmachinescalesets") => $"/providers/{Compute}/virtualMachineScaleSets/{parts[7]}",
            (10, "virtualmachinescalesets") when Is(parts[8], "virtualMachines") => $"/providers/{Compute}/virtualMachineScaleSets/{parts[7]}/virtualMachines/{parts[9]}",
            _ => null,
        };
        if (resource is null)
        {
            return null;
        }

        error = null;
        return canonical + resource;
    }

    /// <summary>Whether <paramref name="scope"/> holds <paramref name="resourceId"/>: it is the resource, or an ancestor by whole segments.</summary>
    public static bool Contains(string scope, string resourceId)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(resourceId);
        var id = resourceId.TrimEnd('/');
        return id.Equals(scope, StringComparison.OrdinalIgnoreCase)
            || (id.Length > scope.Length && id.StartsWith(scope, StringComparison.OrdinalIgnoreCase) && id[scope.Length] == '/');
    }

    /// <summary>The subscription of a normalized scope.</summary>
    public static string SubscriptionOf(string scope) => scope.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];

    private static bool Is(string part, string name) => part.Equals(name, StringComparison.OrdinalIgnoreCase);

    // ARM names of the kinds above: letters, digits and - _ . ( ); nothing that could act as syntax anywhere.
    private static bool IsName(string part) =>
        part.Length <= 260 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '(' or ')');
}
