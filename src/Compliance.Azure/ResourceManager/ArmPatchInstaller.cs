using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Compliance.Azure.ResourceManager.Throttling;
using Compliance.Core.Inventory;
using Compliance.Core.Remediation;
using Microsoft.Extensions.Logging;

namespace Compliance.Azure.ResourceManager;

/// <summary>
/// Azure's own patch installation (<c>POST …/virtualMachines/{vm}/installPatches</c>, a long-running operation)
/// through <c>Azure.ResourceManager.Compute</c> and the scanner's own <see cref="ArmClient"/>: the same pipeline, so
/// the same rate-limit pacing (the POST draws from Compute's "Update VM" bucket of the VM's region, each poll from "Get
/// Operation") and the same 429 handling as a scan. Security and Critical classifications only, within the request's
/// <c>maximumDuration</c>, restarting as its <c>rebootSetting</c> says. Polls wait on the injected
/// <see cref="TimeProvider"/>, as long as the operation's <c>Retry-After</c> asks. Expected failures come back as a
/// <c>Failed</c> result with a one-line reason; only cancellation throws.
/// </summary>
internal sealed class ArmPatchInstaller : IPatchInstaller
{
    // Polled at once when ARM says nothing, then after 5, 10, 20... s, up to a minute: an installation takes minutes.
    private static readonly TimeSpan FirstPollInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromMinutes(1);

    // Azure stops installing at maximumDuration, then restarts when allowed and reports: polling ends a while later.
    private static readonly TimeSpan RestartAllowance = TimeSpan.FromMinutes(30);

    private const int MaxErrorLength = 300;

    private readonly ArmClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ArmPatchInstaller> _logger;

    public ArmPatchInstaller(ArmClient client, TimeProvider timeProvider, ILogger<ArmPatchInstaller> logger)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public async Task<PatchInstallationResult> InstallAsync(Machine machine, PatchInstallation request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(request);

        switch (machine.Kind)
        {
            case ResourceKind.ScaleSetInstance:
                return PatchInstallationResult.NotStarted(
                    "installPatches is not available for scale-set instances: update the scale set's image or use its automatic OS image upgrades");
            case not ResourceKind.VirtualMachine:
                return PatchInstallationResult.NotStarted($"installPatches is available for virtual machines only, not for a {machine.Kind}");
        }

        if (machine.Os is not { } os)
        {
            return PatchInstallationResult.NotStarted("the machine's OS is not known, so neither Windows nor Linux classifications can be chosen");
        }

        var content = Content(os, request);
        var vm = _client.GetVirtualMachineResource(new ResourceIdentifier(machine.Id.Value));
        try
        {
            // The region lets the rate-limit policy pace the POST against Compute's per-region bucket, as a check's
            // Run Command is; the polls name their region in their URL.
            using var scope = HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [ArmRateGovernor.RegionProperty] = machine.Location });
            // Started, then polled here: the SDK's own waiting would sleep on the wall clock, not on the injected one.
            var operation = await vm.InstallPatchesAsync(WaitUntil.Started, content, cancellationToken).ConfigureAwait(false);
            var deadline = _timeProvider.GetUtcNow() + request.MaximumDuration + RestartAllowance;
            var wait = TimeSpan.Zero;
            while (!operation.HasCompleted)
            {
                if (_timeProvider.GetUtcNow() > deadline)
                {
                    ArmLog.PatchInstallationFailed(_logger, machine.Id.Value, 0, "Timeout");
                    return PatchInstallationResult.NotStarted(
                        $"Azure's installPatches operation did not end within its maximum duration and {RestartAllowance.TotalMinutes:0} minutes");
                }

                wait = RetryAfter.Of(operation.GetRawResponse(), _timeProvider.GetUtcNow()) is { } asked && asked > TimeSpan.Zero
                    ? asked
                    : wait <= TimeSpan.Zero ? FirstPollInterval : wait * 2 < MaxPollInterval ? wait * 2 : MaxPollInterval;
                await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
                await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
            }

            var result = Map(operation.Value);
            ArmLog.PatchInstallationEnded(_logger, machine.Id.Value, result.Status, result.RebootStatus, result.InstalledPatchCount, result.FailedPatchCount);
            return result;
        }
        catch (RequestFailedException ex)
        {
            ArmLog.PatchInstallationFailed(_logger, machine.Id.Value, ex.Status, ex.ErrorCode);
            return PatchInstallationResult.NotStarted(Describe(ex));
        }
    }

    private static VirtualMachineInstallPatchesContent Content(OsType os, PatchInstallation request)
    {
        var reboot = request.RebootSetting switch
        {
            RebootSetting.IfRequired => VmGuestPatchRebootSetting.IfRequired,
            RebootSetting.Never => VmGuestPatchRebootSetting.Never,
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.RebootSetting, "Unknown reboot setting."),
        };
        var content = new VirtualMachineInstallPatchesContent(reboot) { MaximumDuration = request.MaximumDuration };
        if (os == OsType.Windows)
        {
            content.WindowsParameters = new WindowsParameters();
            foreach (var classification in PatchInstallation.Classifications)
            {
                content.WindowsParameters.ClassificationsToInclude.Add(new VmGuestPatchClassificationForWindows(classification));
            }
        }
        else
        {
            content.LinuxParameters = new LinuxParameters();
            foreach (var classification in PatchInstallation.Classifications)
            {
                content.LinuxParameters.ClassificationsToInclude.Add(new VmGuestPatchClassificationForLinux(classification));
            }
        }

        return content;
    }

    private static PatchInstallationResult Map(VirtualMachineInstallPatchesResult result) => new(
        result.Status?.ToString() ?? "Unknown",
        result.RebootStatus?.ToString(),
        result.InstalledPatchCount ?? 0,
        result.FailedPatchCount ?? 0,
        result.PendingPatchCount ?? 0,
        result.MaintenanceWindowExceeded ?? false,
        result.InstallationActivityId,
        result.StartOn,
        result.Error is { } error ? OneLine($"{error.Code ?? "(no code)"}: {error.Message}") : null);

    // A long-running operation that ends failed surfaces with the status of the last poll (2xx); a refused request
    // with its own status.
    private static string Describe(RequestFailedException ex)
    {
        var code = ex.ErrorCode ?? "(no code)";
        var what = ex.Status switch
        {
            0 or (>= 200 and < 300) => $"Azure's installPatches operation failed with {code}",
            409 => $"Azure refused installPatches (HTTP 409 {code}: another operation on the VM, or the VM is not running)",
            403 => $"Azure refused installPatches (HTTP 403 {code}): the app's role lacks Microsoft.Compute/virtualMachines/installPatches/action (remediation off in the deployment?)",
            404 => $"Azure refused installPatches (HTTP 404 {code}): the VM no longer exists",
            429 => $"Azure kept throttling installPatches (HTTP 429 {code}) beyond the retries",
            _ => $"Azure refused installPatches (HTTP {ex.Status} {code})",
        };
        return OneLine($"{what}: {FirstLine(ex.Message)}");
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    // One line, no control characters, bounded: the reason is stored and shown as it is.
    private static string OneLine(string text)
    {
        var line = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return line.Length <= MaxErrorLength ? line : line[..MaxErrorLength];
    }
}
