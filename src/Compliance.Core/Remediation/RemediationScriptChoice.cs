namespace Compliance.Core.Remediation;

/// <summary>What <see cref="RemediationScripts.Choose"/> picked for one machine.</summary>
/// <param name="Scripts">The scripts to run, in order; never two that write the same value.</param>
/// <param name="Unremediable">
/// One line per finding (or part of one) that no chosen script changes, with what the operator has to do instead; for
/// example a Linux boot parameter, which is explained, not edited.
/// </param>
public sealed record RemediationScriptChoice(IReadOnlyList<RemediationScript> Scripts, IReadOnlyList<string> Unremediable);
