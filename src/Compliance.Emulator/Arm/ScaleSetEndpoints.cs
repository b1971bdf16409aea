using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Scale sets, their instances and the instances' instance views.
/// </summary>
internal sealed class ScaleSetEndpoints(EmulatorBackend backend)
{
    private const string ScaleSetPath = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets/{scaleSetName}";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/subscriptions/{subscriptionId}/providers/Microsoft.Compute/virtualMachineScaleSets", (HttpContext context, string subscriptionId) => List(context, subscriptionId, resourceGroupName: null));
        routes.MapGet("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets", List);
        routes.MapGet(ScaleSetPath, Get);
        routes.MapGet($"{ScaleSetPath}/virtualMachines", ListInstances);
        routes.MapGet($"{ScaleSetPath}/virtualMachines/{{instanceId}}", GetInstance);
        routes.MapGet($"{ScaleSetPath}/virtualMachines/{{instanceId}}/instanceView", GetInstanceView);
    }

    // Serves both the subscription-wide list (no group) and the resource-group list.
    private IResult List(HttpContext context, string subscriptionId, string? resourceGroupName)
    {
        var snapshot = backend.Fleet.Current;
        if (!MachineLookup.TryListScope(snapshot, subscriptionId, resourceGroupName, out var subscription, out var error))
        {
            return error.ToResult();
        }

        var scaleSets = snapshot.ScaleSets(subscription, resourceGroupName);
        return Paging.Page(context, backend.Endpoint, backend.PageSize, scaleSets, ss => ScaleSetJson.ScaleSet(subscription, ss));
    }

    private IResult Get(string subscriptionId, string resourceGroupName, string scaleSetName) =>
        MachineLookup.TryScaleSet(backend.Fleet.Current, subscriptionId, resourceGroupName, scaleSetName, out var subscription, out var scaleSet, out var error)
            ? ArmResults.Json(ScaleSetJson.ScaleSet(subscription, scaleSet))
            : error.ToResult();

    private IResult ListInstances(HttpContext context, string subscriptionId, string resourceGroupName, string scaleSetName)
    {
        if (!MachineLookup.TryScaleSet(backend.Fleet.Current, subscriptionId, resourceGroupName, scaleSetName, out var subscription, out var scaleSet, out var error))
        {
            return error.ToResult();
        }

        DateTimeOffset? instanceViewAt = ArmQuery.ExpandsInstanceView(context) ? backend.Time.GetUtcNow() : null;
        return Paging.Page(context, backend.Endpoint, backend.PageSize, scaleSet.Instances, instance =>
            ScaleSetJson.Instance(scaleSet, instance, EmulatedMachine.Of(subscription, scaleSet, instance), instanceViewAt));
    }

    private IResult GetInstance(HttpContext context, string subscriptionId, string resourceGroupName, string scaleSetName, string instanceId)
    {
        if (!MachineLookup.TryScaleSetVm(backend.Fleet.Current, subscriptionId, resourceGroupName, scaleSetName, instanceId, out var scaleSet, out var instance, out var machine, out var error))
        {
            return error.ToResult();
        }

        DateTimeOffset? instanceViewAt = ArmQuery.ExpandsInstanceView(context) ? backend.Time.GetUtcNow() : null;
        return ArmResults.Json(ScaleSetJson.Instance(scaleSet, instance, machine, instanceViewAt));
    }

    private IResult GetInstanceView(string subscriptionId, string resourceGroupName, string scaleSetName, string instanceId) =>
        MachineLookup.TryScaleSetVm(backend.Fleet.Current, subscriptionId, resourceGroupName, scaleSetName, instanceId, out _, out _, out var machine, out var error)
            ? ArmResults.Json(InstanceViewJson.For(machine, backend.Time.GetUtcNow()))
            : error.ToResult();
}
