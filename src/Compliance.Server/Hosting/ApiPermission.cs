using System.Collections.Frozen;

namespace Compliance.Server.Hosting;

/// <summary>
/// What a route needs: nothing (<see cref="Anonymous"/>, the health check), the permission to read
/// (<see cref="Read"/>: verdicts, scans, the dashboard, the API's description) or to operate (<see cref="Operate"/>:
/// starting a scan, and every route that changes something). Every route is classified by its name in one table
/// (<see cref="Of"/>): <c>compliance serve</c> attaches the class to each endpoint as metadata, the Functions app looks
/// up the function of the same name. A route missing from the table fails the app's start, and a request whose route
/// has no class is treated as operating, so a new route is never open by omission.
/// </summary>
public sealed class ApiPermission
{
    /// <summary>No key or role needed.</summary>
    public static readonly ApiPermission Anonymous = new(nameof(Anonymous));

    /// <summary>The read key, the operator key, or the role <see cref="ApiRoles.Read"/> or <see cref="ApiRoles.Operate"/>.</summary>
    public static readonly ApiPermission Read = new(nameof(Read));

    /// <summary>The operator key, or the role <see cref="ApiRoles.Operate"/>.</summary>
    public static readonly ApiPermission Operate = new(nameof(Operate));

    // The one table: the name of the endpoint in compliance serve = the name of the function under the host.
    private static readonly FrozenDictionary<string, ApiPermission> _byRoute = new Dictionary<string, ApiPermission>(StringComparer.Ordinal)
    {
        ["Health"] = Anonymous,
        ["ListCompliance"] = Read,
        ["ComplianceCsv"] = Read,
        ["GetCompliance"] = Read,
        ["Summary"] = Read,
        ["ListScans"] = Read,
        ["GetScan"] = Read,
        ["Dashboard"] = Read,
        ["OpenApi"] = Read,
        ["StartScan"] = Operate,
        ["ListExemptions"] = Read,
        ["GetExemption"] = Read,
        ["PutExemption"] = Operate,
        ["DeleteExemption"] = Operate,
        ["ListRemediations"] = Read,
        ["GetRemediation"] = Read,
        ["ProposeRemediation"] = Operate,
        ["ApproveRemediation"] = Operate,
        ["CancelRemediation"] = Operate,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private ApiPermission(string name) => Name = name;

    /// <summary>The class's name, as logs and problems show it.</summary>
    public string Name { get; }

    /// <summary>Every classified route by name.</summary>
    public static IReadOnlyDictionary<string, ApiPermission> Routes => _byRoute;

    /// <summary>The class of the route named <paramref name="routeName"/>; a route not in the table is a defect.</summary>
    /// <exception cref="InvalidOperationException">The route is not classified.</exception>
    public static ApiPermission Of(string routeName) =>
        Find(routeName) ?? throw new InvalidOperationException($"The route {routeName} has no permission: declare it in {nameof(ApiPermission)}.");

    /// <summary>The class of the route named <paramref name="routeName"/>, if it has one.</summary>
    public static ApiPermission? Find(string? routeName) =>
        routeName is not null && _byRoute.TryGetValue(routeName, out var permission) ? permission : null;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
