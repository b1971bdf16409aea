namespace Compliance.Core.Remediation;

/// <summary>A plan as read from the store, with the ETag a conditional update must match.</summary>
public sealed record StoredRemediationPlan(RemediationPlan Plan, string ETag);
