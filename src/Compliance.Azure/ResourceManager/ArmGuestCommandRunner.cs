using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Compliance.Azure.ResourceManager.Throttling;
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

    // ARM says when to poll (Retry-After); an answer without one is polled at once, then after 1, 2, 4... up to 10 s.
    private static readonly TimeSpan FirstPollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(10);

    // The api-version Azure.ResourceManager.Compute 1.2.0 sends for virtual machines and scale set instances.
    private const string ComputeApiVersion = "2023-07-01";

    // ARM ends a Run Command after 90 minutes; polling stops a little later.
    private static readonly TimeSpan MaxOperationTime = TimeSpan.FromMinutes(95);

    private readonly ArmClient _client;
    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly string _machineApiVersion;
    private readonly string _instanceApiVersion;
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
        (_pipeline, _endpoint) = ArmPipeline.Of(client);
        _machineApiVersion = ArmPipeline.ApiVersion(client, VirtualMachineResource.ResourceType, ComputeApiVersion);
        _instanceApiVersion = ArmPipeline.ApiVersion(client, VirtualMachineScaleSetVmResource.ResourceType, ComputeApiVersion);
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

        var body = RunCommandBody.For(script);
        var options = _options.Value;
        var url = RunCommandUrl(machine);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // The region lets the rate-limit policy pace this call against Compute's per-region buckets.
                using var message = _pipeline.CreateMessage();
                message.Request.Method = RequestMethod.Post;
                message.Request.Uri.Reset(url);
                message.Request.Headers.Add(HttpHeader.Names.Accept, "application/json");
                message.Request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
                message.Request.Content = RequestContent.Create(body);
                message.SetProperty(ArmRateGovernor.RegionProperty, machine.Location);
                await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
                var accepted = message.Response;
                if (accepted.Status is not (200 or 202))
                {
                    throw new RequestFailedException(accepted);
                }

                return await CompleteAsync(accepted, script.Os, cancellationToken).ConfigureAwait(false);
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

    // The SDK's own waiting would poll the operation status until it ends and then GET the Location once more for the
    // result, sleeping on the wall clock. Compute's operation status already carries the output when it ends, and its
    // Retry-After says when that will be: one poll at that moment is usually all it takes (two ARM requests per check).
    // The REST specification (runCommand.json: final-state-via "location") promises the result only from the Location
    // URL, so a status that ends without the output is followed by one GET of it.
    private async Task<GuestCommandResult> CompleteAsync(Response accepted, OsType os, CancellationToken cancellationToken)
    {
        if (accepted.Status == 200)
        {
            // Finished at once: the answer is the result itself.
            return RunCommandStatus.Read(accepted.Content) is { IsTerminal: true, Succeeded: true } done
                ? RunCommandOutput.Read(done.Output, os)
                : throw new RequestFailedException(accepted.Status, "The Run Command answer is not a Run Command result.", "UnexpectedResponse", innerException: null);
        }

        var asyncOperation = Header(accepted, "Azure-AsyncOperation");
        var location = Header(accepted, "Location");
        var url = OperationUrl(asyncOperation ?? location)
            ?? throw new RequestFailedException(accepted.Status, "The Run Command answer has neither an Azure-AsyncOperation nor a Location header.", "NoOperationUrl", innerException: null);

        var wait = PollDelay(accepted, TimeSpan.Zero);
        var deadline = _timeProvider.GetUtcNow() + MaxOperationTime;
        while (true)
        {
            using var message = await GetAfterAsync(wait, url, cancellationToken).ConfigureAwait(false);
            var response = message.Response;
            if (response.Status >= 400)
            {
                throw new RequestFailedException(response);
            }

            if (response.Status == 200 && RunCommandStatus.Read(response.Content) is { } status && status.IsTerminal)
            {
                if (!status.Succeeded)
                {
                    throw new RequestFailedException(200, status.ErrorMessage ?? "The Run Command operation failed.", status.ErrorCode, innerException: null);
                }

                return status.Output.ValueKind == JsonValueKind.Undefined && asyncOperation is not null
                    ? await FinalResultAsync(location, os, deadline, cancellationToken).ConfigureAwait(false)
                    : RunCommandOutput.Read(status.Output, os);
            }

            if (_timeProvider.GetUtcNow() > deadline)
            {
                return TimedOut(url);
            }

            wait = NextPollDelay(response, wait);
        }
    }

    // The operation ended without its output in the status: the RunCommandResult is the Location URL's answer. It says
    // 202 while it is not ready yet; anything but a 200 with a result is a failed check, never a verdict.
    private async Task<GuestCommandResult> FinalResultAsync(string? location, OsType os, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        if (OperationUrl(location) is not { } url)
        {
            return GuestCommandResult.Failed(new GuestCheckFailure(
                GuestCheckFailureKind.CheckFailed,
                "the Run Command operation ended without its output and its answer gave no Location URL for the result",
                Evidence.Of(("location", location is null ? null : FirstLine(location)))));
        }

        var wait = TimeSpan.Zero;
        while (true)
        {
            using var message = await GetAfterAsync(wait, url, cancellationToken).ConfigureAwait(false);
            var response = message.Response;
            if (response.Status >= 400)
            {
                var error = new RequestFailedException(response);
                ArmLog.RunCommandFailed(_logger, url.AbsolutePath, error.Status, error.ErrorCode);
                return GuestCommandResult.Failed(new GuestCheckFailure(
                    GuestCheckFailureKind.CheckFailed,
                    $"the Run Command's result (its Location URL) answered HTTP {response.Status} {error.ErrorCode ?? "(no code)"}",
                    Evidence.Of(("status", response.Status), ("errorCode", error.ErrorCode), ("operation", url.AbsolutePath))));
            }

            if (response.Status == 200)
            {
                return RunCommandStatus.ReadResult(response.Content) is { } value
                    ? RunCommandOutput.Read(value, os)
                    : GuestCommandResult.Failed(new GuestCheckFailure(
                        GuestCheckFailureKind.CheckFailed,
                        "the Run Command's result (its Location URL) is not a Run Command result",
                        Evidence.Of(("status", response.Status), ("operation", url.AbsolutePath))));
            }

            if (_timeProvider.GetUtcNow() > deadline)
            {
                return TimedOut(url);
            }

            wait = NextPollDelay(response, wait);
        }
    }

    // One poll: waits, then GETs the operation URL; the caller disposes of the message (and so its response).
    private async Task<HttpMessage> GetAfterAsync(TimeSpan wait, Uri url, CancellationToken cancellationToken)
    {
        await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        var message = _pipeline.CreateMessage();
        try
        {
            message.Request.Method = RequestMethod.Get;
            message.Request.Uri.Reset(url);
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    // Retry-After when the answer gives one, else doubling from the first interval up to the longest.
    private TimeSpan NextPollDelay(Response response, TimeSpan wait) =>
        PollDelay(response, wait <= TimeSpan.Zero ? FirstPollInterval : wait * 2 < MaxPollInterval ? wait * 2 : MaxPollInterval);

    // The token goes wherever an operation URL points: only ever to the ARM endpoint the request went to.
    private Uri? OperationUrl(string? header) =>
        header is not null && Uri.TryCreate(header, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
        && string.Equals(url.Authority, _endpoint.Authority, StringComparison.OrdinalIgnoreCase)
            ? url
            : header is null ? null : throw new RequestFailedException(202, "The Run Command operation URL is not on the ARM endpoint.", "UnexpectedOperationUrl", innerException: null);

    private static GuestCommandResult TimedOut(Uri url) => GuestCommandResult.Failed(new GuestCheckFailure(
        GuestCheckFailureKind.CheckFailed,
        $"the Run Command operation did not end within {MaxOperationTime.TotalMinutes:0} minutes",
        Evidence.Of(("operation", url.AbsolutePath))));

    // POST {machine id}/runCommand, for a virtual machine and a scale set instance alike, at the api-version the
    // Compute SDK uses for them. The id comes from ARM: each segment is escaped, so no character of it can end the
    // path or add a query.
    private Uri RunCommandUrl(Machine machine)
    {
        var version = machine.Kind == ResourceKind.ScaleSetInstance ? _instanceApiVersion : _machineApiVersion;
        var path = string.Join('/', machine.Id.Value.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
        return new Uri($"{_endpoint.AbsoluteUri.TrimEnd('/')}/{path}/runCommand?api-version={Uri.EscapeDataString(version)}");
    }

    private TimeSpan PollDelay(Response response, TimeSpan otherwise) =>
        RetryAfter.Of(response, _timeProvider.GetUtcNow()) is { } wait && wait > TimeSpan.Zero ? wait : otherwise;

    private static string? Header(Response response, string name) => response.Headers.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

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
