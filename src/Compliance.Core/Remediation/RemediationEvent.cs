namespace Compliance.Core.Remediation;

/// <summary>One entry of a plan's audit trail.</summary>
/// <param name="At">When it happened.</param>
/// <param name="Kind"><c>Proposed</c>, <c>Approved</c>, <c>Started</c>, <c>Cancelled</c> or <c>Completed</c>.</param>
/// <param name="By">Who did it: the caller's identity, or <c>compliance</c> for what the app did itself.</param>
/// <param name="Detail">What it did, as one line.</param>
public sealed record RemediationEvent(DateTimeOffset At, string Kind, string By, string Detail);
