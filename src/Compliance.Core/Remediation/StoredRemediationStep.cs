namespace Compliance.Core.Remediation;

/// <summary>A step as read from the store, with the ETag a conditional update must match.</summary>
public sealed record StoredRemediationStep(RemediationStep Step, string ETag);
