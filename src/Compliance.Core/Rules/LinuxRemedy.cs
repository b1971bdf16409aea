namespace Compliance.Core.Rules;

/// <summary>What ends a Linux state that is not a full mitigation.</summary>
/// <param name="Action">The action it calls for; <c>null</c> when nothing in the guest can end it.</param>
/// <param name="Text">The remedy, for people.</param>
/// <param name="OffParameters">The reported boot parameters that turn the mitigation off.</param>
public sealed record LinuxRemedy(RemediationAction? Action, string Text, IReadOnlyList<string> OffParameters);
