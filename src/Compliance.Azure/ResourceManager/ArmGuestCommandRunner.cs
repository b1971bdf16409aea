using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.ResourceManager;

/// <summary>
/// Runs the guest script through the action Run Command (<c>POST …/runCommand</c>, a long-running operation). The
/// script is sent as constant lines with no parameters. A 409 "Run command extension execution is in progress" is
/// retried a bounded number of times with exponential back-off and jitter; other ARM errors become verdict inputs.
/// </summary>
internal sealed class ArmGuestCommandRunner : IGuestCommandRunner
{
    private const string ConflictMessage = "Run command extension execution is in progress";

    // Error codes ARM uses when the guest agent does not answer.
    private static readonly HashSet<string> _agentErrorCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "VMAgentStatusCommunicationError",
        "VMAgentNotReady",
    };

    private readonly ArmClient _client;
    private readonly IOptions<ArmOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly Func<double> _random;
    private readonly ILogger<ArmGuestCommandRunner> _logger;

    public ArmGuestCommandRunner(ArmClient client, IOptions<ArmOptions> options, TimeProvider timeProvider, ILogger<ArmGuestCommandRunner> logger)
        : this(client, options, timeProvider, logger, Random.Shared.NextDouble)
    {
    }

    internal ArmGuestCommandRunner(ArmClient client, IOptions<ArmOptions> options, TimeProvider timeProvider, ILogger<ArmGuestCommandRunner> logger, Func<double> random)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _random = random ?? throw new ArgumentNullException(nameof(random));
    }

    /// <inheritdoc />
    public async Task<GuestCommandResult> RunAsync(Machine machine, GuestScript script, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(script);

        var input = new RunCommandInput(script.CommandId);
        foreach (var line in script.Lines)
        {
            input.Script.Add(line);
        }

        var options = _options.Value;
        var id = new ResourceIdentifier(machine.Id.Value);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var operation = machine.Kind == ResourceKind.ScaleSetInstance
                    ? await _client.GetVirtualMachineScaleSetVmResource(id).RunCommandAsync(WaitUntil.Completed, input, cancellationToken).ConfigureAwait(false)
                    : await _client.GetVirtualMachineResource(id).RunCommandAsync(WaitUntil.Completed, input, cancellationToken).ConfigureAwait(false);
                return RunCommandOutput.Read(operation.Value.Value, script.Os);
            }
            catch (RequestFailedException ex) when (IsCommandInProgress(ex))
            {
                if (attempt > options.RunCommandConflictRetries)
                {
                    return GuestCommandResult.Failed(new GuestCheckFailure(
                        GuestCheckFailureKind.CheckFailed,
                        $"another Run Command was still in progress after {attempt} attempts",
                        ErrorEvidence(ex, attempt)));
                }

                var delay = Backoff(options.RunCommandConflictBackoff, attempt);
                ArmLog.RunCommandBusy(_logger, machine.Id.Value, attempt, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode is { } code && _agentErrorCodes.Contains(code))
            {
                return GuestCommandResult.Failed(new GuestCheckFailure(
                    GuestCheckFailureKind.AgentUnavailable,
                    $"Run Command failed with {code}: the VM agent did not answer",
                    ErrorEvidence(ex, attempt)));
            }
            catch (RequestFailedException ex) when (IsNotRunning(ex))
            {
                return GuestCommandResult.Failed(new GuestCheckFailure(
                    GuestCheckFailureKind.NotRunning,
                    "ARM refused Run Command because the machine is not running",
                    ErrorEvidence(ex, attempt)));
            }
            catch (RequestFailedException ex)
            {
                ArmLog.RunCommandFailed(_logger, machine.Id.Value, ex.Status, ex.ErrorCode);
                return GuestCommandResult.Failed(new GuestCheckFailure(
                    GuestCheckFailureKind.CheckFailed,
                    // A long-running operation that ends failed surfaces with the status of the last poll (2xx).
                    ex.Status is 0 or (>= 200 and < 300)
                        ? $"the Run Command operation failed with {ex.ErrorCode ?? "(no code)"}"
                        : $"Run Command failed with HTTP {ex.Status} {ex.ErrorCode ?? "(no code)"}",
                    ErrorEvidence(ex, attempt)));
            }
        }
    }

    private static bool IsCommandInProgress(RequestFailedException ex) =>
        ex.Status == 409
        && (string.Equals(ex.ErrorCode, "Conflict", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains(ConflictMessage, StringComparison.OrdinalIgnoreCase));

    private static bool IsNotRunning(RequestFailedException ex) =>
        ex.Status == 409
        && string.Equals(ex.ErrorCode, "OperationNotAllowed", StringComparison.OrdinalIgnoreCase)
        && (ex.Message.Contains("not running", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("deallocated", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("stopped", StringComparison.OrdinalIgnoreCase));

    // Exponential back-off with "equal jitter": half fixed, half random, so busy machines do not retry in lockstep.
    private TimeSpan Backoff(TimeSpan first, int attempt)
    {
        var exponential = first * Math.Pow(2, attempt - 1);
        return (exponential / 2) + (exponential / 2 * _random());
    }

    private static IReadOnlyDictionary<string, object?> ErrorEvidence(RequestFailedException ex, int attempts) =>
        Evidence.Of(
            ("status", ex.Status),
            ("errorCode", ex.ErrorCode),
            ("message", FirstLine(ex.Message)),
            ("attempts", attempts));

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..300];
    }
}
