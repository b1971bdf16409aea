using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Run Command on virtual machines and scale-set instances, as an ARM long-running operation polled through its
/// Azure-AsyncOperation and Location URLs. Its final result (a <c>RunCommandResult</c>) is the Location URL's answer
/// once the operation has ended (the specification's <c>final-state-via: location</c>); the status body carries it
/// too unless <see cref="ArmEmulatorOptions.RunCommandOutputInStatus"/> is off.
/// </summary>
internal sealed class RunCommandEndpoints(EmulatorBackend backend, InstallPatchesEndpoints installPatches)
{
    /// <summary>The Compute api-version ARM writes into the operation URLs it hands out.</summary>
    public const string OperationApiVersion = "2023-07-01";

    private const string ResourceGroupScope = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost($"{ResourceGroupScope}/virtualMachines/{{vmName}}/runCommand", RunOnVirtualMachineAsync);
        routes.MapPost($"{ResourceGroupScope}/virtualMachineScaleSets/{{scaleSetName}}/virtualMachines/{{instanceId}}/runCommand", RunOnScaleSetVmAsync);
        routes.MapGet("/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/operations/{operationId}", GetOperation);
    }

    private async Task<IResult> RunOnVirtualMachineAsync(HttpContext context, string subscriptionId, string resourceGroupName, string vmName, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(context.Request.BodyReader, cancellationToken).ConfigureAwait(false);
        return MachineLookup.TryVirtualMachine(backend.Fleet.Current, subscriptionId, resourceGroupName, vmName, out var machine, out var error)
            ? Run(machine, body)
            : Refuse(ResourceIds.VirtualMachine(subscriptionId, resourceGroupName, vmName), body, error);
    }

    private async Task<IResult> RunOnScaleSetVmAsync(HttpContext context, string subscriptionId, string resourceGroupName, string scaleSetName, string instanceId, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(context.Request.BodyReader, cancellationToken).ConfigureAwait(false);
        return MachineLookup.TryScaleSetVm(backend.Fleet.Current, subscriptionId, resourceGroupName, scaleSetName, instanceId, out _, out _, out var machine, out var error)
            ? Run(machine, body)
            : Refuse(ResourceIds.ScaleSetVm(subscriptionId, resourceGroupName, scaleSetName, instanceId), body, error);
    }

    private IResult Refuse(string requestedId, ReadOnlyMemory<byte> body, ArmError error)
    {
        Record(requestedId, body, RunCommandRequestBody.Parse(body, out _));
        return error.ToResult();
    }

    private IResult Run(EmulatedMachine machine, ReadOnlyMemory<byte> body)
    {
        var request = RunCommandRequestBody.Parse(body, out var problem);
        Record(machine.ResourceId, body, request);
        if (request is null)
        {
            return ArmError.InvalidRequestContent(problem).ToResult();
        }

        var expected = machine.OsType == FleetOsType.Windows ? "RunPowerShellScript" : "RunShellScript";
        if (!string.Equals(request.CommandId, expected, StringComparison.OrdinalIgnoreCase))
        {
            return ArmError.CommandNotFound().ToResult();
        }

        if (machine.PowerState != FleetPowerState.Running)
        {
            return ArmError.NotRunning(machine.Name).ToResult();
        }

        switch (machine.RunCommand?.Failure)
        {
            case FleetRunCommandFailure.Conflict:
                return ArmError.RunCommandInProgress().ToResult();
            case FleetRunCommandFailure.InternalError:
                return ArmError.InternalExecutionError().ToResult();
        }

        // A fleet entry without a latency (0 is the format's default) runs as long as the emulator's default.
        var latency = machine.RunCommand?.LatencyMs is > 0 and var milliseconds
            ? TimeSpan.FromMilliseconds(milliseconds)
            : backend.RunCommandLatency;
        // A remediation script changes the guest as it says and prints what it set; any other script prints the report.
        var outcome = RunCommandOutcome.For(machine);
        var remediation = outcome.Error is null ? EmulatedGuestSettings.Recognise(request.Script) : null;
        (JsonElement? Guest, string Stdout)? remediated = remediation is null ? null : EmulatedGuestSettings.Run(remediation, machine.Guest);
        if (remediated is { } run)
        {
            outcome = RunCommandOutcome.Succeeded(RunCommandOutput.Build(machine, run.Stdout));
        }

        var operation = backend.Operations.TryStart(machine, outcome, latency);
        if (operation is null)
        {
            return ArmError.RunCommandInProgress().ToResult();
        }

        if (remediated is { } applied)
        {
            backend.Fleet.Update(fleet => MachineUpdate.Apply(fleet, machine.ResourceId, m => m with { Guest = applied.Guest }));
        }

        // ARM raises ResourceActionSuccess (runCommand/action) for every Run Command it accepts, naming the caller;
        // receivers of subscription events must recognise the scanner's own checks among them by that caller. The
        // caller is the identity of the token, the only one this emulator accepts.
        if (backend.Events.HasQueue)
        {
            backend.Events.PublishInBackground(ResourceEvent.Action(machine.ResourceId, "runCommand") with { Caller = EmulatorIdentity.Caller });
        }

        return Accepted(backend, operation, latency);
    }

    /// <summary>The 202 Accepted of a started operation, with its Azure-AsyncOperation and Location URLs.</summary>
    public static IResult Accepted(EmulatorBackend backend, RunCommandOperation operation, TimeSpan latency) =>
        new AcceptedResult(OperationUrl(backend, operation, monitor: false), OperationUrl(backend, operation, monitor: true), latency);

    private IResult GetOperation(HttpContext context, string subscriptionId, string location, string operationId)
    {
        if (!MachineLookup.TrySubscription(backend.Fleet.Current, subscriptionId, out _, out var error))
        {
            return error.ToResult();
        }

        var operation = backend.Operations.Find(operationId);
        if (operation is null
            && backend.PatchOperations.Find(operationId) is { } patches
            && string.Equals(patches.SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase))
        {
            return installPatches.Poll(context, patches, IsMonitor(context));
        }

        if (operation is null || !string.Equals(operation.SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase))
        {
            return ArmError.OperationNotFound(operationId).ToResult();
        }

        var now = backend.Time.GetUtcNow();
        var completed = operation.IsCompleted(now);
        if (IsMonitor(context))
        {
            if (!completed)
            {
                return new AcceptedResult(null, OperationUrl(backend, operation, monitor: true), operation.CompletesAt - now);
            }

            return operation.Outcome.Error is { } failure
                ? failure.ToResult()
                : ArmResults.Json(operation.Outcome.CopyOutput() ?? new JsonObject());
        }

        var status = new JsonObject
        {
            ["name"] = operation.Id,
            ["startTime"] = ArmJson.Time(operation.StartTime),
        };
        if (!completed)
        {
            status["status"] = "InProgress";
            AcceptedResult.AddRetryAfter(context.Response.Headers, operation.CompletesAt - now);
            return ArmResults.Json(status);
        }

        status["endTime"] = ArmJson.Time(operation.CompletesAt);
        if (operation.Outcome.Error is { } failed)
        {
            status["status"] = "Failed";
            status["error"] = failed.ToDetail();
        }
        else
        {
            status["status"] = "Succeeded";

            // Compute's status carries the result; the specification promises it only from the Location URL. An
            // operation without a result (a restart) has none to carry.
            if (backend.RunCommandOutputInStatus && operation.Outcome.HasOutput)
            {
                status["properties"] = new JsonObject { ["output"] = operation.Outcome.CopyOutput() };
            }
        }

        return ArmResults.Json(status);
    }

    private static bool IsMonitor(HttpContext context) =>
        string.Equals(context.Request.Query["monitor"].ToString(), "true", StringComparison.OrdinalIgnoreCase);

    private void Record(string resourceId, ReadOnlyMemory<byte> body, RunCommandRequestBody? request) =>
        backend.Journal.Record(new RecordedRunCommand(
            resourceId,
            request?.CommandId ?? "",
            request?.Script ?? [],
            request?.Parameters ?? [],
            backend.Time.GetUtcNow(),
            Convert.ToHexString(SHA256.HashData(body.Span))));

    private static string OperationUrl(EmulatorBackend backend, RunCommandOperation operation, bool monitor)
    {
        var query = monitor ? $"monitor=true&api-version={OperationApiVersion}" : $"api-version={OperationApiVersion}";
        return $"{backend.Endpoint.AbsoluteUri}{ResourceIds.Location(operation.SubscriptionId, operation.Location).TrimStart('/')}/operations/{operation.Id}?{query}";
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await reader.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
