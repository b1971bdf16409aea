namespace Compliance.Core.Remediation;

/// <summary>Where a remediation plan stands.</summary>
public enum RemediationPlanState
{
    /// <summary>Made, not approved: nothing runs.</summary>
    Proposed,

    /// <summary>Approved by an operator: its steps are queued.</summary>
    Approved,

    /// <summary>At least one step has started.</summary>
    Running,

    /// <summary>Every step has an outcome.</summary>
    Completed,

    /// <summary>Cancelled by an operator: steps not started were skipped.</summary>
    Cancelled,
}
