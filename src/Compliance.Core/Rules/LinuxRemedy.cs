namespace Compliance.Core.Rules;

/// <summary>What ends a Linux state that is not a full mitigation.</summary>
/// <param name="Action">The action it calls for; <c>null</c> when nothing in the guest can end it.</param>
/// <param name="Text">The remedy, for people.</param>
/// <param name="OffParameters">The reported boot parameters that turn the mitigation off.</param>
/// <param name="Note">A caveat, when the report leaves the cause open (an older script shows no command line).</param>
public sealed record LinuxRemedy(RemediationAction? Action, string Text, IReadOnlyList<string> OffParameters, string? Note = null)
{
    /// <summary>The remedy with its caveat.</summary>
    public string Describe() => Note is null ? Text : $"{Text} ({Note})";
}
