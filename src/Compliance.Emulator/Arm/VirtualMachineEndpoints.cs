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
        routes.MapGet("/subscriptions/{subscriptionId}/providers/Microsoft.Compute/virtualMachines", ListInSubscription);
        routes.MapGet($"{ResourceGroupScope}/virtualMachines", ListInResourceGroup);
        routes.MapGet($"{ResourceGroupScope}/virtualMachines/{{vmName}}", Get);
        routes.MapGet($"{ResourceGroupScope}/virtualMachines/{{vmName}}/instanceView", GetInstanceView);
    }

    private IResult ListInSubscription(HttpContext context, string subscriptionId) => List(context, subscriptionId, null);

    private IResult ListInResourceGroup(HttpContext context, string subscriptionId, string resourceGroupName) =>
        List(context, subscriptionId, resourceGroupName);

    private IResult List(HttpContext context, string subscriptionId, string? resourceGroupName)
    {
        if (!MachineLookup.TrySubscription(backend.Fleet.Current, subscriptionId, out var subscription, out var error))
        {
            return error.ToResult();
        }

        if (MachineLookup.MissingResourceGroup(subscription, resourceGroupName) is { } missing)
        {
            return missing.ToResult();
        }

        var machines = subscription.VirtualMachines.Where(vm => MachineLookup.InGroup(vm.ResourceGroup, resourceGroupName)).ToList();
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
