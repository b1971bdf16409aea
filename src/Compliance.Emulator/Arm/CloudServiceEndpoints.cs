using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Cloud Services (extended support), their role instances, and the Guest OS catalogue.
/// </summary>
internal sealed class CloudServiceEndpoints(EmulatorBackend backend)
{
    private const string CloudServicePath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/cloudServices/{cloudServiceName}";
    private const string OsVersionsPath = "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/cloudServiceOsVersions";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/subscriptions/{subscriptionId}/providers/Microsoft.Compute/cloudServices", (HttpContext context, string subscriptionId) => List(context, subscriptionId, resourceGroupName: null));
        routes.MapGet("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/cloudServices", List);
        routes.MapGet(CloudServicePath, Get);
        routes.MapGet($"{CloudServicePath}/roleInstances", ListRoleInstances);
        routes.MapGet($"{CloudServicePath}/roleInstances/{{roleInstanceName}}", GetRoleInstance);
        routes.MapGet(OsVersionsPath, ListOsVersions);
        routes.MapGet($"{OsVersionsPath}/{{osVersionName}}", GetOsVersion);
    }

    // Serves both the subscription-wide list (no group) and the resource-group list.
    private IResult List(HttpContext context, string subscriptionId, string? resourceGroupName)
    {
        var snapshot = backend.Fleet.Current;
        if (!MachineLookup.TryListScope(snapshot, subscriptionId, resourceGroupName, out var subscription, out var error))
        {
            return error.ToResult();
        }

        var services = snapshot.CloudServices(subscription, resourceGroupName);
        return Paging.Page(context, backend.Endpoint, backend.PageSize, services, cs => CloudServiceJson.CloudService(subscription, cs));
    }

    private IResult Get(string subscriptionId, string resourceGroupName, string cloudServiceName) =>
        MachineLookup.TryCloudService(backend.Fleet.Current, subscriptionId, resourceGroupName, cloudServiceName, out var subscription, out var service, out var error)
            ? ArmResults.Json(CloudServiceJson.CloudService(subscription, service))
            : error.ToResult();

    private IResult ListRoleInstances(HttpContext context, string subscriptionId, string resourceGroupName, string cloudServiceName)
    {
        if (!MachineLookup.TryCloudService(backend.Fleet.Current, subscriptionId, resourceGroupName, cloudServiceName, out var subscription, out var service, out var error))
        {
            return error.ToResult();
        }

        var expand = ArmQuery.ExpandsInstanceView(context);
        return Paging.Page(context, backend.Endpoint, backend.PageSize, CloudServiceJson.RoleInstances(service), ri =>
            CloudServiceJson.RoleInstance(subscription, service, ri.Role, ri.Name, expand));
    }

    private IResult GetRoleInstance(HttpContext context, string subscriptionId, string resourceGroupName, string cloudServiceName, string roleInstanceName)
    {
        if (!MachineLookup.TryCloudService(backend.Fleet.Current, subscriptionId, resourceGroupName, cloudServiceName, out var subscription, out var service, out var error))
        {
            return error.ToResult();
        }

        foreach (var (role, name) in CloudServiceJson.RoleInstances(service))
        {
            if (string.Equals(name, roleInstanceName, StringComparison.OrdinalIgnoreCase))
            {
                return ArmResults.Json(CloudServiceJson.RoleInstance(subscription, service, role, name, ArmQuery.ExpandsInstanceView(context)));
            }
        }

        return ArmError.ResourceNotFound($"{CloudServiceJson.ResourceType}/{service.Name}/roleInstances", roleInstanceName, resourceGroupName).ToResult();
    }

    private IResult ListOsVersions(HttpContext context, string subscriptionId, string location)
    {
        var snapshot = backend.Fleet.Current;
        return MachineLookup.TrySubscription(snapshot, subscriptionId, out var subscription, out var error)
            ? Paging.Page(context, backend.Endpoint, backend.PageSize, snapshot.OsVersions, v => CloudServiceJson.OsVersion(subscription.SubscriptionId, location, v))
            : error.ToResult();
    }

    private IResult GetOsVersion(string subscriptionId, string location, string osVersionName)
    {
        var snapshot = backend.Fleet.Current;
        if (!MachineLookup.TrySubscription(snapshot, subscriptionId, out var subscription, out var error))
        {
            return error.ToResult();
        }

        var version = snapshot.OsVersions.FirstOrDefault(v => string.Equals(v.Version, osVersionName, StringComparison.OrdinalIgnoreCase));
        return version is null
            ? ArmError.OsVersionNotFound(location, osVersionName).ToResult()
            : ArmResults.Json(CloudServiceJson.OsVersion(subscription.SubscriptionId, location, version));
    }
}
