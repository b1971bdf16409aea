namespace Compliance.Core.Remediation;

/// <summary>The verifying re-check after a step's change: the verdict it stored.</summary>
/// <param name="CheckedAt">When the machine was checked.</param>
/// <param name="Status">The verdict's status (<c>Compliant</c>, <c>ActionRequired</c>, <c>Unknown</c>, <c>Exempt</c>), or <c>Gone</c> when ARM answered 404.</param>
/// <param name="Actions">The actions the verdict still needs.</param>
/// <param name="RebootPending">Whether a finding says the machine waits for a restart for the change to take effect.</param>
public sealed record RemediationVerification(DateTimeOffset CheckedAt, string Status, IReadOnlyList<string> Actions, bool RebootPending);
