namespace Compliance.Core.Remediation;

/// <summary>Where one machine's step of a remediation plan stands.</summary>
public enum RemediationStepStatus
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Running on the machine.</summary>
    Running,

    /// <summary>The change was made (its verification is recorded beside it).</summary>
    Succeeded,

    /// <summary>The change failed: the machine keeps its verdict, the step says why.</summary>
    Failed,

    /// <summary>Not run: the step says why (not remediable this way, in another active plan, cancelled).</summary>
    Skipped,
}
