using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Compliance.Emulator.Arm;

/// <summary>
/// <c>POST …/virtualMachines/{vm}/installPatches</c> as Azure answers it: 202 Accepted with <c>Azure-AsyncOperation</c>,
/// <c>Location</c> and <c>Retry-After</c>; the operation status says <c>InProgress</c> until the emulated duration has
/// passed, then <c>Succeeded</c> (or <c>Failed</c>), and the <c>Location</c> URL then answers the
/// <c>VirtualMachineInstallPatchesResult</c>. Shapes from the Compute REST specification (azure-rest-api-specs,
/// <c>specification/compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2023-07-01</c>: <c>virtualMachine.json</c>,
/// operation <c>VirtualMachines_InstallPatches</c>, a long-running operation with <c>final-state-via: location</c>, and its
/// example <c>examples/virtualMachineExamples/VirtualMachine_InstallPatches.json</c>). Scale-set instances have no such
/// action in Azure, so none here either.
/// </summary>
internal sealed class InstallPatchesEndpoints(EmulatorBackend backend)
{
    private const string ResourceGroupScope = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute";

    public void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost($"{ResourceGroupScope}/virtualMachines/{{vmName}}/installPatches", InstallAsync);

    /// <summary>The answer to a poll of <paramref name="operation"/>'s status (<paramref name="monitor"/> false) or its Location URL.</summary>
    public IResult Poll(HttpContext context, PatchOperation operation, bool monitor)
    {
        var now = backend.Time.GetUtcNow();
        var completed = operation.IsCompleted(now);
        if (completed)
        {
            TakeEffect(operation);
        }

        if (monitor)
        {
            if (!completed)
            {
                return new AcceptedResult(null, OperationUrl(operation, monitor: true), operation.CompletesAt - now);
            }

            return operation.Error is { } failure
                ? failure.ToResult()
                : ArmResults.Json(operation.CopyResult() ?? new JsonObject());
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
        if (operation.Error is { } failed)
        {
            status["status"] = "Failed";
            status["error"] = failed.ToDetail();
        }
        else
        {
            // The installation's own outcome (even a failed one) is in the result; the operation has succeeded.
            status["status"] = "Succeeded";
        }

        return ArmResults.Json(status);
    }

    private async Task<IResult> InstallAsync(HttpContext context, string subscriptionId, string resourceGroupName, string vmName, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await context.Request.BodyReader.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        ReadOnlyMemory<byte> body = buffer.ToArray();
        var request = InstallPatchesRequestBody.TryRead(body);
        if (!MachineLookup.TryVirtualMachine(backend.Fleet.Current, subscriptionId, resourceGroupName, vmName, out var machine, out var error))
        {
            Record(ResourceIds.VirtualMachine(subscriptionId, resourceGroupName, vmName), body, request);
            return error.ToResult();
        }

        Record(machine.ResourceId, body, request);
        if (request is null)
        {
            return ArmError.InvalidRequestContent("the body must be a JSON object").ToResult();
        }

        if (request.Problem(machine.OsType) is { } problem)
        {
            return ArmError.InvalidParameter(problem).ToResult();
        }

        if (machine.PowerState != FleetPowerState.Running)
        {
            return ArmError.PatchesNotAllowed(machine.Name, "since the VM is not running").ToResult();
        }

        var behaviour = machine.InstallPatches ?? new FleetInstallPatches();
        if (behaviour.Failure == FleetInstallPatchesFailure.Conflict)
        {
            return Conflict(machine, behaviour).ToResult();
        }

        var latency = behaviour.LatencyMs > 0 ? TimeSpan.FromMilliseconds(behaviour.LatencyMs) : backend.InstallPatchesLatency;
        var operation = backend.PatchOperations.TryStart(machine.ResourceId, now => Create(machine, behaviour, request, now, latency));
        if (operation is null)
        {
            return Conflict(machine, behaviour: null).ToResult();
        }

        // ARM raises ResourceActionSuccess (installPatches/action) for the action it accepts, naming the caller.
        if (backend.Events.HasQueue)
        {
            backend.Events.PublishInBackground(ResourceEvent.Action(machine.ResourceId, "installPatches") with { Caller = EmulatorIdentity.Caller });
        }

        // The effect on the guest does not wait for someone to poll: it happens when the emulated duration has passed.
        if (latency > TimeSpan.Zero)
        {
            operation.EffectTimer = backend.Time.CreateTimer(_ =>
            {
                TakeEffect(operation);
                operation.EffectTimer?.Dispose();
            }, null, latency, Timeout.InfiniteTimeSpan);
        }
        else
        {
            TakeEffect(operation);
        }

        return new AcceptedResult(OperationUrl(operation, monitor: false), OperationUrl(operation, monitor: true), latency);
    }

    private static ArmError Conflict(EmulatedMachine machine, FleetInstallPatches? behaviour) => new(
        StatusCodes.Status409Conflict,
        behaviour?.ErrorCode ?? "OperationNotAllowed",
        behaviour?.ErrorMessage ?? $"Operation 'installPatches' is not allowed on VM '{machine.Name}' since another patch operation is in progress on it. Wait for it to complete and retry.");

    private static PatchOperation Create(EmulatedMachine machine, FleetInstallPatches behaviour, InstallPatchesRequestBody request, DateTimeOffset now, TimeSpan latency)
    {
        var id = Guid.NewGuid().ToString("D");
        if (behaviour.Failure == FleetInstallPatchesFailure.OperationFailed)
        {
            var error = new ArmError(
                StatusCodes.Status500InternalServerError,
                behaviour.ErrorCode ?? "InternalOperationError",
                behaviour.ErrorMessage ?? "The patch operation failed: the VM did not report the installation's outcome.");
            return new PatchOperation(id, machine, now, now + latency, result: null, error, guestAfter: null);
        }

        if (machine.AgentStatus == FleetAgentStatus.NotReady)
        {
            return new PatchOperation(id, machine, now, now + latency, result: null, ArmError.AgentNotReporting(machine.Name), guestAfter: null);
        }

        var end = now + latency;
        var failed = behaviour.Failure == FleetInstallPatchesFailure.Failed;
        var never = string.Equals(request.RebootSetting, "Never", StringComparison.OrdinalIgnoreCase);
        var rebootStatus = failed || !behaviour.RebootRequired ? "NotNeeded" : never ? "Required" : "Completed";
        var result = new JsonObject
        {
            ["status"] = failed ? "Failed" : "Succeeded",
            ["installationActivityId"] = id,
            ["rebootStatus"] = rebootStatus,
            ["maintenanceWindowExceeded"] = false,
            ["excludedPatchCount"] = 0,
            ["notSelectedPatchCount"] = 0,
            ["pendingPatchCount"] = 0,
            ["installedPatchCount"] = failed ? 0 : behaviour.InstalledPatchCount,
            ["failedPatchCount"] = failed ? behaviour.InstalledPatchCount : 0,
            ["startDateTime"] = ArmJson.Time(now),
            ["patches"] = Patches(machine.OsType, behaviour.InstalledPatchCount, failed ? "Failed" : "Installed"),
            ["error"] = failed
                ? new JsonObject
                {
                    ["code"] = behaviour.ErrorCode ?? "PatchInstallationFailed",
                    ["message"] = behaviour.ErrorMessage ?? "One or more patches failed to install. Check the patch installation details.",
                    ["details"] = new JsonArray(),
                }
                : null,
        };

        // The update takes effect when it needs no restart, or once the restart Azure made has happened; with
        // rebootSetting Never a restart-requiring update waits ("reboot pending") and the report stays as it was.
        var guestAfter = failed || rebootStatus == "Required"
            ? (System.Text.Json.JsonElement?)null
            : behaviour.PatchedGuest ?? PatchedGuest.Of(machine.Guest, machine.OsType, rebootStatus == "Completed" ? end : null);
        return new PatchOperation(id, machine, now, end, result, error: null, guestAfter);
    }

    // A plausible installation list: the January 2018 security updates of each OS family.
    private static JsonArray Patches(FleetOsType os, int count, string state)
    {
        var patches = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var patch = os == FleetOsType.Windows
                ? new JsonObject
                {
                    ["patchId"] = StableGuid.From("patch", i.ToString(CultureInfo.InvariantCulture)).ToString("D"),
                    ["name"] = i == 0
                        ? "2018-01 Security Monthly Quality Rollup for Windows Server (KB4056895)"
                        : $"Security Update for Windows Server (KB40569{i:D2})",
                    ["version"] = "",
                    ["kbId"] = i == 0 ? "4056895" : $"40569{i:D2}",
                    ["classifications"] = new JsonArray("Security Updates"),
                    ["installationState"] = state,
                }
                : new JsonObject
                {
                    ["patchId"] = i == 0 ? "linux-image-azure_4.15.0.1013.13" : $"linux-security-update-{i}",
                    ["name"] = i == 0 ? "linux-image-azure" : $"linux-security-update-{i}",
                    ["version"] = i == 0 ? "4.15.0.1013.13" : "1",
                    ["classifications"] = new JsonArray("Security"),
                    ["installationState"] = state,
                };
            patches.Add(patch);
        }

        return patches;
    }

    private void TakeEffect(PatchOperation operation)
    {
        if (operation.GuestAfter is not { } guest || !operation.ClaimEffect())
        {
            return;
        }

        try
        {
            backend.Fleet.Update(fleet => MachineUpdate.Apply(fleet, operation.ResourceId, machine => machine with { Guest = guest }));
        }
        catch (ArgumentException)
        {
            // The machine left the fleet while the operation ran: nothing to patch.
        }
    }

    private void Record(string resourceId, ReadOnlyMemory<byte> body, InstallPatchesRequestBody? request) =>
        backend.Journal.Record(new RecordedInstallPatches(
            resourceId,
            request?.RebootSetting,
            request?.MaximumDurationText,
            request?.WindowsClassifications,
            request?.LinuxClassifications,
            backend.Time.GetUtcNow(),
            Encoding.UTF8.GetString(body.Span)));

    private string OperationUrl(PatchOperation operation, bool monitor)
    {
        var query = monitor ? $"monitor=true&api-version={RunCommandEndpoints.OperationApiVersion}" : $"api-version={RunCommandEndpoints.OperationApiVersion}";
        return $"{backend.Endpoint.AbsoluteUri}{ResourceIds.Location(operation.SubscriptionId, operation.Location).TrimStart('/')}/operations/{operation.Id}?{query}";
    }
}
