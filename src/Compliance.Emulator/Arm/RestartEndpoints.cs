using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Compliance.Emulator.Arm;

/// <summary>
/// <c>restart</c> on virtual machines and scale-set instances, as Azure answers it: 202 Accepted with
/// Azure-AsyncOperation and Location, an operation that then reports Succeeded, and the
/// <c>…/restart/action</c> resource event naming the caller. The restart boots the guest: the kernel's flags follow the
/// registry (<see cref="EmulatedGuestSettings.Restart"/>). A machine that is not running, or is still running a command,
/// is refused as Azure refuses it.
/// </summary>
internal sealed class RestartEndpoints(EmulatorBackend backend)
{
    private const string ResourceGroupScope = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost($"{ResourceGroupScope}/virtualMachines/{{vmName}}/restart", RestartVirtualMachine);
        routes.MapPost($"{ResourceGroupScope}/virtualMachineScaleSets/{{scaleSetName}}/virtualMachines/{{instanceId}}/restart", RestartScaleSetVm);
    }

    private IResult RestartVirtualMachine(string subscriptionId, string resourceGroupName, string vmName) =>
        MachineLookup.TryVirtualMachine(backend.Fleet.Current, subscriptionId, resourceGroupName, vmName, out var machine, out var error)
            ? Restart(machine)
            : error.ToResult();

    private IResult RestartScaleSetVm(string subscriptionId, string resourceGroupName, string scaleSetName, string instanceId) =>
        MachineLookup.TryScaleSetVm(backend.Fleet.Current, subscriptionId, resourceGroupName, scaleSetName, instanceId, out _, out _, out var machine, out var error)
            ? Restart(machine)
            : error.ToResult();

    private IResult Restart(EmulatedMachine machine)
    {
        if (machine.PowerState != FleetPowerState.Running)
        {
            return new ArmError(
                StatusCodes.Status409Conflict,
                "OperationNotAllowed",
                $"Operation 'restart' is not allowed on VM '{machine.Name}' since the VM is not running.").ToResult();
        }

        var latency = machine.RunCommand?.LatencyMs is > 0 and var milliseconds
            ? TimeSpan.FromMilliseconds(milliseconds)
            : backend.RunCommandLatency;
        var operation = backend.Operations.TryStart(machine, RunCommandOutcome.Completed(), latency);
        if (operation is null)
        {
            return new ArmError(
                StatusCodes.Status409Conflict,
                "OperationNotAllowed",
                $"Operation 'restart' is not allowed on VM '{machine.Name}' since another operation is in progress.").ToResult();
        }

        var now = backend.Time.GetUtcNow();
        backend.Fleet.Update(fleet => MachineUpdate.Apply(fleet, machine.ResourceId, m => m with { Guest = EmulatedGuestSettings.Restart(m.Guest, now) }));
        if (backend.Events.HasQueue)
        {
            backend.Events.PublishInBackground(ResourceEvent.Action(machine.ResourceId, "restart") with { Caller = EmulatorIdentity.Caller });
        }

        return RunCommandEndpoints.Accepted(backend, operation, latency);
    }
}
