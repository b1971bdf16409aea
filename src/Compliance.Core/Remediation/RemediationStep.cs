namespace Compliance.Core.Remediation;

/// <summary>
/// One machine of a plan: what runs there (<c>installPatches</c> with its parameters, or the constant scripts by name
/// and SHA-256), what came of it, and the verifying re-check afterwards.
/// </summary>
/// <param name="PlanId">The plan.</param>
/// <param name="ResourceId">The machine.</param>
/// <param name="Kind">The machine's kind (<c>VirtualMachine</c>, <c>ScaleSetInstance</c>, <c>CloudService</c>).</param>
/// <param name="Os">The machine's OS, as its verdict says.</param>
/// <param name="Status">Where it stands.</param>
public sealed record RemediationStep(string PlanId, string ResourceId, string Kind, string? Os, RemediationStepStatus Status)
{
    /// <summary>For <c>GuestUpdate</c>: what <c>installPatches</c> is asked to do.</summary>
    public PatchInstallation? Patch { get; init; }

    /// <summary>For <c>KvaShadowing</c> and <c>MitigationSettings</c>: the scripts that run, in order, and once run, what each set.</summary>
    public IReadOnlyList<RemediationScriptRun> Scripts { get; init; } = [];

    /// <summary>Findings no script may change on this machine, each with its remedy: explained, not edited.</summary>
    public IReadOnlyList<string> Explained { get; init; } = [];

    /// <summary>Why it was skipped, or why it failed.</summary>
    public string? Reason { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When its change ended (succeeded or failed).</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>For <c>GuestUpdate</c>: Azure's result.</summary>
    public PatchInstallationResult? PatchResult { get; init; }

    /// <summary>Whether the step restarted the machine: <see langword="null"/> when it did not try, else <c>Restarted</c> or why it failed.</summary>
    public string? Restart { get; init; }

    /// <summary>When the verifying re-check is due (after a restart, the machine is given time to come back).</summary>
    public DateTimeOffset? VerifyAfter { get; init; }

    /// <summary>The verifying re-check, once done.</summary>
    public RemediationVerification? Verification { get; init; }

    /// <summary>How many times the verifying re-check found the machine still settling and waited.</summary>
    public int VerifyAttempts { get; init; }

    /// <summary>Whether nothing more happens to this step: skipped, failed, or succeeded and verified.</summary>
    public bool IsFinal => Status is RemediationStepStatus.Skipped or RemediationStepStatus.Failed
        || (Status == RemediationStepStatus.Succeeded && Verification is not null);
}
