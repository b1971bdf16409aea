using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Remediation;

/// <summary>
/// Runs one step of an approved plan (a message of the remediation queue), for the <c>RunRemediation</c> function and
/// <c>compliance serve</c>'s consumer alike. It holds the machine's lease while it works, so a machine never runs two
/// steps at once (a message that finds the lease held comes back later); runs <c>installPatches</c> or the plan's
/// constant scripts through the same paced ports as a scan; restarts when the plan allows and the change needs it;
/// records the outcome; then re-checks the machine the way a resource event's re-check does and records that verdict
/// through <see cref="ComplianceRecorder"/>, so the notification policy announces a resolved action as usual. A step
/// that has finished is never run again, whatever the queue delivers.
/// </summary>
public sealed class RemediationRunner
{
    private readonly IRemediationStore _store;
    private readonly RemediationProgress _progress;
    private readonly IResourceInventory _inventory;
    private readonly IGuestCommandRunner _commands;
    private readonly IPatchInstaller _installer;
    private readonly IMachineRestarter _restarter;
    private readonly ComplianceScanner _scanner;
    private readonly ComplianceRecorder _recorder;
    private readonly NotificationDispatcher _dispatcher;
    private readonly ILeaseStore _leases;
    private readonly IScanBatchQueue _queue;
    private readonly IOptions<RemediationOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RemediationRunner> _logger;

    /// <summary>Creates the runner.</summary>
    public RemediationRunner(
        IRemediationStore store,
        RemediationProgress progress,
        IResourceInventory inventory,
        IGuestCommandRunner commands,
        IPatchInstaller installer,
        IMachineRestarter restarter,
        ComplianceScanner scanner,
        ComplianceRecorder recorder,
        NotificationDispatcher dispatcher,
        ILeaseStore leases,
        [FromKeyedServices(RemediationOptions.ServiceKey)] IScanBatchQueue queue,
        IOptions<RemediationOptions> options,
        TimeProvider timeProvider,
        ILogger<RemediationRunner> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _commands = commands ?? throw new ArgumentNullException(nameof(commands));
        _installer = installer ?? throw new ArgumentNullException(nameof(installer));
        _restarter = restarter ?? throw new ArgumentNullException(nameof(restarter));
        _scanner = scanner ?? throw new ArgumentNullException(nameof(scanner));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _leases = leases ?? throw new ArgumentNullException(nameof(leases));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The name of the lease a machine is held under while a step works on it.</summary>
    public static string LeaseName(string resourceId)
    {
        ArgumentNullException.ThrowIfNull(resourceId);
        return "remediation:" + resourceId.ToUpperInvariant();
    }

    /// <summary>Runs (or verifies, or, when it has finished, only settles the plan of) the step of <paramref name="message"/>.</summary>
    public async Task RunAsync(RemediationStepMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_options.Value.Enabled)
        {
            // Steps stay Pending: turned on again, the plan can be cancelled and proposed afresh.
            RemediationLog.NotRun(_logger, message.PlanId, "remediation is off");
            return;
        }

        var plan = (await _store.GetPlanAsync(message.PlanId, cancellationToken).ConfigureAwait(false))?.Plan;
        var stored = plan is null ? null : await _store.GetStepAsync(message.PlanId, message.ResourceId, cancellationToken).ConfigureAwait(false);
        if (plan is null || stored is null)
        {
            RemediationLog.NotRun(_logger, message.PlanId, "no such plan or step");
            return;
        }

        if (stored.Step.IsFinal)
        {
            // Delivered again: the step is done; only the plan's completion may still be owed.
            await _progress.RefreshAsync(plan.Id, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (plan.State == RemediationPlanState.Proposed)
        {
            RemediationLog.NotRun(_logger, plan.Id, "the plan is not approved");
            return;
        }

        if (plan.State is RemediationPlanState.Cancelled or RemediationPlanState.Completed && stored.Step.Status == RemediationStepStatus.Pending)
        {
            await _progress.SkipIfPendingAsync(stored, "The plan was cancelled before this step started.", cancellationToken).ConfigureAwait(false);
            await _progress.RefreshAsync(plan.Id, cancellationToken).ConfigureAwait(false);
            return;
        }

        var now = _timeProvider.GetUtcNow();
        var lease = await _leases.TryAcquireLeaseAsync(LeaseName(stored.Step.ResourceId), now, now + LeaseDuration(plan), cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            RemediationLog.Busy(_logger, plan.Id, stored.Step.ResourceId);
            await _queue.SendAsync(message.Serialize(), _options.Value.BusyRetryDelay, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            // Read again under the lease: another delivery may have finished it meanwhile.
            stored = await _store.GetStepAsync(message.PlanId, message.ResourceId, cancellationToken).ConfigureAwait(false);
            if (stored is null || stored.Step.IsFinal)
            {
                return;
            }

            if (stored.Step.Status == RemediationStepStatus.Succeeded)
            {
                await VerifyAsync(message, stored, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ChangeAsync(plan, message, stored, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await _leases.ReleaseLeaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }

        await _progress.RefreshAsync(plan.Id, cancellationToken).ConfigureAwait(false);
    }

    // A step that was Running when its delivery died runs again: installPatches installs only what is missing and the
    // scripts set constant values, so a second run changes nothing the first made.
    private async Task ChangeAsync(RemediationPlan plan, RemediationStepMessage message, StoredRemediationStep stored, CancellationToken cancellationToken)
    {
        var running = stored.Step with { Status = RemediationStepStatus.Running, StartedAt = _timeProvider.GetUtcNow() };
        var written = await _store.UpdateStepAsync(running, stored.ETag, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The step of {running.ResourceId} changed while it started; it is tried again.");
        await _progress.MarkRunningAsync(plan.Id, cancellationToken).ConfigureAwait(false);

        var resource = await _inventory.GetResourceAsync(new ResourceId(running.ResourceId), cancellationToken).ConfigureAwait(false);
        var step = resource is Machine machine
            ? plan.Action == RemediationAction.GuestUpdate
                ? await InstallAsync(machine, running, cancellationToken).ConfigureAwait(false)
                : await RunScriptsAsync(plan, machine, running, cancellationToken).ConfigureAwait(false)
            : running with
            {
                Status = RemediationStepStatus.Failed,
                Reason = resource is null ? "ARM answered 404: the machine no longer exists." : "The resource is not a machine.",
            };
        step = step with { FinishedAt = _timeProvider.GetUtcNow() };
        var saved = await _store.UpdateStepAsync(step, written.ETag, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The step of {step.ResourceId} changed while it ran; it is tried again.");
        RemediationLog.StepDone(_logger, plan.Id, step.ResourceId, step.Status + (step.Reason is null ? string.Empty : ": " + step.Reason));

        if (step.Status == RemediationStepStatus.Succeeded)
        {
            var wait = (step.VerifyAfter ?? DateTimeOffset.MinValue) - _timeProvider.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await _queue.SendAsync(message.Serialize(), wait, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await VerifyAsync(message, saved, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<RemediationStep> InstallAsync(Machine machine, RemediationStep step, CancellationToken cancellationToken)
    {
        var request = step.Patch ?? throw new InvalidOperationException("A GuestUpdate step names its installation.");
        var result = await _installer.InstallAsync(machine, request, cancellationToken).ConfigureAwait(false);
        if (!result.Completed)
        {
            return step with
            {
                Status = RemediationStepStatus.Failed,
                PatchResult = result,
                Reason = $"installPatches ended {result.Status}" + (result.Error is null ? "." : ": " + result.Error),
            };
        }

        // With IfRequired Azure restarts the machine itself when the patches need it: the check waits for it to come back.
        var restarted = result.RebootStatus is "Started" or "Completed";
        return step with
        {
            Status = RemediationStepStatus.Succeeded,
            PatchResult = result,
            Reason = result.RebootStatus == "Required" ? "Reboot pending: the patches need a restart the plan does not allow." : null,
            VerifyAfter = _timeProvider.GetUtcNow() + (restarted ? _options.Value.VerifyDelay : TimeSpan.Zero),
        };
    }

    private async Task<RemediationStep> RunScriptsAsync(RemediationPlan plan, Machine machine, RemediationStep step, CancellationToken cancellationToken)
    {
        var runs = new List<RemediationScriptRun>();
        foreach (var planned in step.Scripts)
        {
            var script = RemediationScripts.Find(planned.Name);
            string? error = null;
            IReadOnlyList<RemediationSetting>? settings = null;
            if (script is null || !string.Equals(script.Script.Sha256, planned.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                error = "The script is not the one the plan was approved with (this version of the app has another): propose a new plan.";
            }
            else
            {
                var result = await _commands.RunAsync(machine, script.Script, cancellationToken).ConfigureAwait(false);
                if (result.Failure is { } failure)
                {
                    error = $"Run Command failed ({failure.Kind}): {failure.Reason}";
                }
                else
                {
                    var output = RemediationScriptOutput.Parse(result.Stdout);
                    settings = output.Settings;
                    error = output.Error;
                }
            }

            runs.Add(planned with { Settings = settings, Error = error });
            if (error is not null)
            {
                // The scripts that follow are not run on a machine whose last change failed.
                runs.AddRange(step.Scripts.Skip(runs.Count));
                return step with { Status = RemediationStepStatus.Failed, Scripts = runs, Reason = $"{planned.Name}: {error}" };
            }
        }

        // Registry settings take effect at the next start; the Linux sysctl at once.
        var needsRestart = machine.Os == OsType.Windows;
        if (!needsRestart)
        {
            return step with { Status = RemediationStepStatus.Succeeded, Scripts = runs, VerifyAfter = _timeProvider.GetUtcNow() };
        }

        if (plan.RebootSetting == RebootSetting.Never)
        {
            return step with
            {
                Status = RemediationStepStatus.Succeeded,
                Scripts = runs,
                Reason = "Reboot pending: the settings take effect at the next restart, which the plan leaves to the owner.",
                VerifyAfter = _timeProvider.GetUtcNow(),
            };
        }

        var restartError = await _restarter.RestartAsync(machine, cancellationToken).ConfigureAwait(false);
        return step with
        {
            Status = RemediationStepStatus.Succeeded,
            Scripts = runs,
            Restart = restartError is null ? "Restarted" : $"Restart failed: {restartError}",
            Reason = restartError is null ? null : "Reboot pending: the settings are made, the restart failed.",
            VerifyAfter = _timeProvider.GetUtcNow() + (restartError is null ? _options.Value.VerifyDelay : TimeSpan.Zero),
        };
    }

    private async Task VerifyAsync(RemediationStepMessage message, StoredRemediationStep stored, CancellationToken cancellationToken)
    {
        var step = stored.Step;
        var now = _timeProvider.GetUtcNow();
        if (step.VerifyAfter is { } after && after > now)
        {
            await _queue.SendAsync(message.Serialize(), after - now, cancellationToken).ConfigureAwait(false);
            return;
        }

        var resource = await _inventory.GetResourceAsync(new ResourceId(step.ResourceId), cancellationToken).ConfigureAwait(false);
        RemediationVerification verification;
        if (resource is null)
        {
            verification = new RemediationVerification(now, "Gone", [], false);
        }
        else
        {
            var assessment = await _scanner.JudgeAsync(resource, cancellationToken).ConfigureAwait(false);
            if (IsSettling(resource, assessment) && step.VerifyAttempts < _options.Value.VerifyRetries)
            {
                var later = step with { VerifyAttempts = step.VerifyAttempts + 1, VerifyAfter = now + _options.Value.VerifyDelay };
                if (await _store.UpdateStepAsync(later, stored.ETag, cancellationToken).ConfigureAwait(false) is not null)
                {
                    await _queue.SendAsync(message.Serialize(), _options.Value.VerifyDelay, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            // The same path as a resource event's re-check: stored and notified by the usual policy.
            await _recorder.RecordAsync([assessment], $"remediation-{step.PlanId}", cancellationToken).ConfigureAwait(false);
            await _dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false);
            verification = new RemediationVerification(
                assessment.CheckedAt,
                assessment.Status.ToString(),
                assessment.Actions.Select(a => a.ToString()).ToList(),
                assessment.Findings.Any(f => f.Evidence.TryGetValue("rebootPending", out var pending) && pending is true));
        }

        var verified = step with { Verification = verification };
        if (await _store.UpdateStepAsync(verified, stored.ETag, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new InvalidOperationException($"The step of {step.ResourceId} changed while it was verified; it is tried again.");
        }

        RemediationLog.Verified(_logger, step.PlanId, step.ResourceId, verification.Status);
    }

    private static bool IsSettling(InventoryResource resource, Assessment assessment) =>
        (resource is Machine { PowerState: PowerState.Starting })
        || assessment.Findings.Any(f => f.Code == FindingCode.AgentUnavailable);

    // Held beyond the longest the change may take, so a live step is never taken over; a dead holder's lease runs out.
    private TimeSpan LeaseDuration(RemediationPlan plan) =>
        (plan.Action == RemediationAction.GuestUpdate ? plan.MaximumDuration : _options.Value.RunCommandDuration * 4)
        + _options.Value.RestartDuration + TimeSpan.FromMinutes(30);
}
