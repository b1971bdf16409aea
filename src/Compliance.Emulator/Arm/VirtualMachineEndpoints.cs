using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Virtual machine lists, models and instance views.
/// </summary>
internal sealed class VirtualMachineEndpoints(EmulatorBackend backend)
{
    private const string ResourceGroupScope = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/subscriptions/{subscriptionId}/providers/Microsoft.Compute/virtualMachines", (HttpContext context, string subscriptionId) => List(context, subscriptionId, resourceGroupName: null));
        routes.MapGet($"{ResourceGroupScope}/virtualMachines", List);
        routes.MapGet($"{ResourceGroupScope}/virtualMachines/{{vmName}}", Get);
        routes.MapGet($"{ResourceGroupScope}/virtualMachines/{{vmName}}/instanceView", GetInstanceView);
    }

    // Serves both the subscription-wide list (no group) and the resource-group list.
    private IResult List(HttpContext context, string subscriptionId, string? resourceGroupName)
    {
        var snapshot = backend.Fleet.Current;
        if (!MachineLookup.TryListScope(snapshot, subscriptionId, resourceGroupName, out var subscription, out var error))
        {
            return error.ToResult();
        }

        var machines = snapshot.VirtualMachines(subscription, resourceGroupName);
        var statusOnly = ArmQuery.StatusOnly(context);
        DateTimeOffset? instanceViewAt = ArmQuery.ExpandsInstanceView(context) ? backend.Time.GetUtcNow() : null;
        return Paging.Page(context, backend.Endpoint, backend.PageSize, machines, vm =>
        {
            var machine = EmulatedMachine.Of(subscription, vm);
            return statusOnly ? VirtualMachineJson.StatusOnly(machine) : VirtualMachineJson.Full(machine, instanceViewAt);
        });
    }

    private IResult Get(HttpContext context, string subscriptionId, string resourceGroupName, string vmName)
    {
        if (!MachineLookup.TryVirtualMachine(backend.Fleet.Current, subscriptionId, resourceGroupName, vmName, out var machine, out var error))
        {
            return error.ToResult();
        }

        DateTimeOffset? instanceViewAt = ArmQuery.ExpandsInstanceView(context) ? backend.Time.GetUtcNow() : null;
        return ArmResults.Json(VirtualMachineJson.Full(machine, instanceViewAt));
    }

    private IResult GetInstanceView(string subscriptionId, string resourceGroupName, string vmName) =>
        MachineLookup.TryVirtualMachine(backend.Fleet.Current, subscriptionId, resourceGroupName, vmName, out var machine, out var error)
            ? ArmResults.Json(InstanceViewJson.For(machine, backend.Time.GetUtcNow()))
            : error.ToResult();
}
