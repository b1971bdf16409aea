using Compliance.Core.Inventory;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Remediation;

/// <summary>
/// Chooses a plan's machines from the stored verdicts (no new scan): those the filter selects whose current verdict is
/// <c>ActionRequired</c> with the plan's action; <c>Exempt</c>, <c>Compliant</c> and <c>Unknown</c> ones are not
/// selected. It says what runs on each (<c>installPatches</c>, or the constant scripts for its findings), which
/// machines are skipped and why, and how long the plan should take at the platform's rate limits.
/// </summary>
public sealed class RemediationPlanner
{
    /// <summary>Why a scale-set instance gets no <c>GuestUpdate</c>.</summary>
    public const string ScaleSetGuestUpdateReason =
        "installPatches exists for VMs, not scale-set VMs: a scale set's instances are updated through its model or image (automatic OS image upgrades, or a new image and a rolling upgrade).";

    /// <summary>Why a Cloud Service gets no remediation.</summary>
    public const string CloudServiceReason =
        "A Cloud Service (extended support) is updated through its Guest OS setting (osVersion * or a current Guest OS family in its configuration), not by this app.";

    private const int MaxNamedResources = 1000;

    private readonly IVerdictStore _verdicts;
    private readonly IRemediationStore _store;
    private readonly IOptions<RemediationOptions> _options;

    /// <summary>Creates a planner.</summary>
    public RemediationPlanner(IVerdictStore verdicts, IRemediationStore store, IOptions<RemediationOptions> options)
    {
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The steps of a plan <paramref name="planId"/> for <paramref name="request"/>, and its expected duration.</summary>
    /// <exception cref="RemediationRefusedException">The request is not valid.</exception>
    public async Task<(IReadOnlyList<RemediationStep> Steps, TimeSpan Expected)> PlanAsync(
        string planId,
        RemediationRequest request,
        RebootSetting reboot,
        TimeSpan maximumDuration,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filter = request.Filter ?? RemediationFilter.All;
        var scripts = request.Scripts ?? [];
        Validate(request.Action, filter, scripts);

        var held = await HeldMachinesAsync(request.Action, cancellationToken).ConfigureAwait(false);
        var named = filter.ResourceIds is { Count: > 0 } ids ? new HashSet<string>(ids, StringComparer.OrdinalIgnoreCase) : null;
        var action = request.Action.ToString();
        var steps = new List<RemediationStep>();
        var regions = new Dictionary<(string, string), int>();
        var longestScripts = 0;
        var query = new StateQuery { SubscriptionId = filter.SubscriptionId, Status = nameof(ComplianceStatus.ActionRequired), Action = action };
        await foreach (var stored in _verdicts.QueryStatesAsync(query, cancellationToken).ConfigureAwait(false))
        {
            var verdict = stored.State.Verdict;
            if (!Selects(filter, named, verdict, action))
            {
                continue;
            }

            named?.Remove(verdict.Id);
            var step = Step(planId, request.Action, verdict, scripts, reboot, maximumDuration, held);
            steps.Add(step);
            if (step.Status == RemediationStepStatus.Pending)
            {
                var key = (verdict.SubscriptionId.ToLowerInvariant(), verdict.Location.ToLowerInvariant());
                regions[key] = regions.GetValueOrDefault(key) + 1;
                longestScripts = Math.Max(longestScripts, step.Scripts.Count);
            }
        }

        // Machines named outright and not selected: the plan says why, so an operator is not left guessing.
        if (named is { Count: > 0 })
        {
            var states = await _verdicts.GetStatesAsync(named.ToList(), cancellationToken).ConfigureAwait(false);
            foreach (var id in named.Order(StringComparer.OrdinalIgnoreCase))
            {
                var verdict = states.TryGetValue(id, out var s) ? s.State.Verdict : null;
                var reason = verdict is null
                    ? "No verdict is stored for this resource: scan it first."
                    : verdict.Status != nameof(ComplianceStatus.ActionRequired)
                        ? $"Its verdict is {verdict.Status}: only ActionRequired resources are remediated."
                        : !verdict.Actions.Contains(action)
                            ? $"Its verdict does not need {action}."
                            : "It lies outside the plan's other filters.";
                steps.Add(new RemediationStep(planId, verdict?.Id ?? id, verdict?.Kind ?? "Unknown", verdict?.Os, RemediationStepStatus.Skipped) { Reason = reason });
            }
        }

        steps.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.ResourceId, b.ResourceId));
        return (steps, Expected(request.Action, reboot, maximumDuration, regions.Values, longestScripts));
    }

    /// <summary>
    /// How long a plan should take: <c>installPatches</c> up to its maximum duration, or each script as long as a Run
    /// Command, plus the restart and the wait before the verifying check when the plan restarts, plus the check itself;
    /// <see cref="RemediationOptions.Parallelism"/> machines at a time, and never faster than the busiest subscription
    /// and region's Update VM rate allows.
    /// </summary>
    public TimeSpan Expected(RemediationAction action, RebootSetting reboot, TimeSpan maximumDuration, IReadOnlyCollection<int> machinesPerRegion, int scriptsPerMachine)
    {
        var rates = _options.Value.Rates;
        var restarts = reboot == RebootSetting.IfRequired;
        TimeSpan perMachine;
        int writes;
        if (action == RemediationAction.GuestUpdate)
        {
            // Azure restarts within installPatches itself; the check waits for the machine to come back.
            perMachine = maximumDuration + (restarts ? rates.VerifyDelay : TimeSpan.Zero) + rates.RunCommand;
            writes = 2;
        }
        else
        {
            perMachine = (rates.RunCommand * scriptsPerMachine) + (restarts ? rates.Restart + rates.VerifyDelay : TimeSpan.Zero) + rates.RunCommand;
            writes = scriptsPerMachine + (restarts ? 1 : 0) + 1;
        }

        return rates.Expected(machinesPerRegion, perMachine, writes);
    }

    private static void Validate(RemediationAction action, RemediationFilter filter, IReadOnlyList<string> scripts)
    {
        if (filter.ResourceIds is { Count: > MaxNamedResources })
        {
            throw new RemediationRefusedException(RemediationRefusalKind.Invalid, $"A plan names at most {MaxNamedResources} resources.");
        }

        foreach (var id in filter.ResourceIds ?? [])
        {
            if (string.IsNullOrWhiteSpace(id) || !id.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase) || !ResourceKey.IsStorable(new ResourceId(id), out _))
            {
                throw new RemediationRefusedException(RemediationRefusalKind.Invalid, "Every resource must be an ARM resource id (/subscriptions/...).");
            }
        }

        if (action == RemediationAction.GuestUpdate && scripts.Count > 0)
        {
            throw new RemediationRefusedException(RemediationRefusalKind.Invalid, "GuestUpdate runs Azure's installPatches: it takes no scripts.");
        }

        foreach (var name in scripts)
        {
            var script = RemediationScripts.Find(name);
            if (script is null || script.Action != action)
            {
                var known = string.Join(", ", RemediationScripts.All.Where(s => s.Action == action).Select(s => s.Name));
                throw new RemediationRefusedException(RemediationRefusalKind.Invalid, $"No {action} script has that name. The {action} scripts: {known}.");
            }
        }
    }

    private static bool Selects(RemediationFilter filter, HashSet<string>? named, ReportResource verdict, string action) =>
        verdict.Status == nameof(ComplianceStatus.ActionRequired)
        && verdict.Actions.Contains(action)
        && (filter.SubscriptionId is null || string.Equals(verdict.SubscriptionId, filter.SubscriptionId, StringComparison.OrdinalIgnoreCase))
        && (filter.ResourceGroup is null || string.Equals(verdict.ResourceGroup, filter.ResourceGroup, StringComparison.OrdinalIgnoreCase))
        && (filter.Os is null || string.Equals(verdict.Os, filter.Os, StringComparison.OrdinalIgnoreCase))
        && (filter.Finding is null || verdict.Findings.Any(f => string.Equals(f.Code, filter.Finding, StringComparison.OrdinalIgnoreCase)))
        && (named is null || named.Contains(verdict.Id));

    private static RemediationStep Step(
        string planId,
        RemediationAction action,
        ReportResource verdict,
        IReadOnlyList<string> scripts,
        RebootSetting reboot,
        TimeSpan maximumDuration,
        IReadOnlyDictionary<string, RemediationPlan> held)
    {
        var step = new RemediationStep(planId, verdict.Id, verdict.Kind, verdict.Os, RemediationStepStatus.Pending);
        if (held.TryGetValue(verdict.Id, out var other))
        {
            return step with
            {
                Status = RemediationStepStatus.Skipped,
                Reason = $"Already in remediation plan {other.Id} ({other.State}) for {action}: a machine is in one active plan per action. Cancel that plan, or wait for it to complete.",
            };
        }

        if (verdict.Kind == nameof(ResourceKind.CloudService))
        {
            return step with { Status = RemediationStepStatus.Skipped, Reason = CloudServiceReason };
        }

        if (action == RemediationAction.GuestUpdate)
        {
            return verdict.Kind == nameof(ResourceKind.ScaleSetInstance)
                ? step with { Status = RemediationStepStatus.Skipped, Reason = ScaleSetGuestUpdateReason }
                : step with { Patch = new PatchInstallation(maximumDuration, reboot) };
        }

        if (!Enum.TryParse<OsType>(verdict.Os, ignoreCase: true, out var os))
        {
            return step with { Status = RemediationStepStatus.Skipped, Reason = "ARM reports no OS type for the machine: no script can be chosen." };
        }

        RemediationScriptChoice choice;
        try
        {
            choice = RemediationScripts.Choose(os, verdict.Findings, scripts.Count == 0 ? null : scripts);
        }
        catch (ArgumentException ex)
        {
            // The names were checked against the catalogue: what is left is that they do not fit this machine.
            return step with { Status = RemediationStepStatus.Skipped, Reason = $"The plan's scripts do not fit this machine: {ex.Message}" };
        }

        var runs = choice.Scripts.Select(s => new RemediationScriptRun(s.Name, s.Script.Sha256, s.Description)).ToList();
        if (runs.Count == 0)
        {
            var why = choice.Unremediable.Count > 0
                ? "No script may change what it needs; see the explanations."
                : $"No {action} script covers its findings.";
            return step with { Status = RemediationStepStatus.Skipped, Reason = why, Explained = choice.Unremediable };
        }

        return step with { Scripts = runs, Explained = choice.Unremediable };
    }

    // The machines of active plans for the same action, with their plan: never two plans running one machine.
    private async Task<IReadOnlyDictionary<string, RemediationPlan>> HeldMachinesAsync(RemediationAction action, CancellationToken cancellationToken)
    {
        var held = new Dictionary<string, RemediationPlan>(StringComparer.OrdinalIgnoreCase);
        await foreach (var plan in _store.ListPlansAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!plan.IsActive || plan.Action != action)
            {
                continue;
            }

            foreach (var stored in await _store.GetStepsAsync(plan.Id, cancellationToken).ConfigureAwait(false))
            {
                if (stored.Step.Status is RemediationStepStatus.Pending or RemediationStepStatus.Running
                    || (stored.Step.Status == RemediationStepStatus.Succeeded && stored.Step.Verification is null))
                {
                    held.TryAdd(stored.Step.ResourceId, plan);
                }
            }
        }

        return held;
    }
}
