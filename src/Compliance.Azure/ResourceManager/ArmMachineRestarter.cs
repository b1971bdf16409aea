using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Compliance.Azure.ResourceManager.Throttling;
using Compliance.Core.Inventory;
using Compliance.Core.Remediation;
using Compliance.Core.Reporting;
using Microsoft.Extensions.Logging;

namespace Compliance.Azure.ResourceManager;

/// <summary>
/// Restarts a virtual machine or a scale-set instance through Azure.ResourceManager.Compute (<c>restart</c>, a
/// long-running operation the SDK waits out), on the same <see cref="ArmClient"/> as the scan: its credential, its
/// rate-limit aware retry policy and its pacers, with the machine's region set so Compute's per-region buckets pace it.
/// Every failure comes back as one inert line; only cancellation is thrown.
/// </summary>
internal sealed partial class ArmMachineRestarter : IMachineRestarter
{
    private const int MaxReasonLength = 300;

    private readonly ArmClient _client;
    private readonly ILogger<ArmMachineRestarter> _logger;

    public ArmMachineRestarter(ArmClient client, ILogger<ArmMachineRestarter> logger)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public async Task<string?> RestartAsync(Machine machine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var id = new ResourceIdentifier(machine.Id.Value);

        // Every request of the operation (the POST and its polls) carries the region, as Run Command's do.
        using var scope = HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?>
        {
            [ArmRateGovernor.RegionProperty] = machine.Location,
        });
        try
        {
            var operation = machine.Kind == ResourceKind.ScaleSetInstance
                ? await _client.GetVirtualMachineScaleSetVmResource(id).RestartAsync(WaitUntil.Completed, cancellationToken).ConfigureAwait(false)
                : await _client.GetVirtualMachineResource(id).RestartAsync(WaitUntil.Completed, cancellationToken).ConfigureAwait(false);
            var response = operation.GetRawResponse();
            if (response.Status >= 400)
            {
                throw new RequestFailedException(response);
            }

            Restarted(_logger, machine.Id.Value);
            return null;
        }
        catch (RequestFailedException ex)
        {
            RestartFailed(_logger, machine.Id.Value, ex.Status, ex.ErrorCode);
            // A long-running operation that ends failed surfaces with the status of the last poll (2xx).
            var what = ex.Status is 0 or (>= 200 and < 300)
                ? $"the restart operation failed with {ex.ErrorCode ?? "(no code)"}"
                : $"restart failed with HTTP {ex.Status} {ex.ErrorCode ?? "(no code)"}";
            return Reason(what, FirstLine(ex.Message));
        }
        catch (AuthenticationFailedException ex)
        {
            RestartFailed(_logger, machine.Id.Value, 0, ex.GetType().Name);
            return Reason("restart failed: the credential could not get a token", null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The port never throws for a machine: anything else the SDK raises is this machine's failure.
            RestartFailed(_logger, machine.Id.Value, 0, ex.GetType().Name);
            return Reason($"restart failed ({ex.GetType().Name})", null);
        }
    }

    // ARM's message may quote text from the request or the resource: one line, bounded, with nothing that could act.
    private static string Reason(string what, string? detail)
    {
        var text = string.IsNullOrWhiteSpace(detail) ? what : $"{what}: {detail}";
        text = InertText.ForTerminal(text);
        return text.Length <= MaxReasonLength ? text : string.Concat(text.AsSpan(0, MaxReasonLength - 1), "…");
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Restarted {ResourceId}")]
    private static partial void Restarted(ILogger logger, string resourceId);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "Restarting {ResourceId} failed with HTTP {Status} {ErrorCode}")]
    private static partial void RestartFailed(ILogger logger, string resourceId, int status, string? errorCode);
}
