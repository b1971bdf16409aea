namespace Compliance.Core.Rules;

/// <summary>
/// How a gap of the Azure guidance's checklist for Windows machines that run untrusted code is rated. The guidance asks
/// for these mitigations only where untrusted code runs: there a gap is a finding with its severity and action; on
/// other machines the same gap is a Low finding without an action (it is worth knowing, but nothing is asked).
/// </summary>
/// <param name="Severity">The severity of the finding.</param>
/// <param name="Action">The action it calls for, if any.</param>
/// <param name="Preamble">The first words of its message: why the gap matters on this machine.</param>
public sealed record UntrustedCodeChecklist(Severity Severity, RemediationAction? Action, string Preamble)
{
    /// <summary>The rating of a gap with <paramref name="severity"/> and <paramref name="action"/> on a machine that runs untrusted code.</summary>
    public static UntrustedCodeChecklist For(UntrustedCode untrusted, Severity severity, RemediationAction? action)
    {
        ArgumentNullException.ThrowIfNull(untrusted);
        return untrusted.IsUntrusted
            ? new(severity, action, $"This Windows machine runs untrusted code ({untrusted.Reasons}), for which the {Guidance.Azure} asks for this mitigation.")
            : new(Severity.Low, null, "This Windows machine does not run untrusted code, so the Azure guidance asks nothing more of it; this is for information.");
    }
}
