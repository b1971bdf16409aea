using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;

namespace Compliance.Core.Remediation;

/// <summary>
/// One constant remediation script: it applies one setting (a KB4072698 registry combination on Windows, the
/// unprivileged-BPF sysctl on Linux), prints what it set, and takes no parameters; nothing from ARM, tags or callers is
/// ever put into it. A plan chooses among these by name.
/// </summary>
/// <param name="Name">The stable name a plan refers to.</param>
/// <param name="Os">The OS it runs on.</param>
/// <param name="Action">The action it carries out.</param>
/// <param name="FindingCodes">The findings it remedies.</param>
/// <param name="IsDefault">Whether a plan picks it for those findings when it names no script (of several scripts for the same findings, one is the default).</param>
/// <param name="Description">What it sets, for plans and operators.</param>
/// <param name="Script">The script itself, run through Run Command like the check.</param>
public sealed record RemediationScript(
    string Name,
    OsType Os,
    RemediationAction Action,
    IReadOnlyList<string> FindingCodes,
    bool IsDefault,
    string Description,
    GuestScript Script)
{
    /// <summary>
    /// Whether the change takes effect only after a restart (the KB4072698 registry values, read at boot), rather than
    /// at once (the sysctl). A machine that ran such a script and was not restarted shows "reboot pending".
    /// </summary>
    public bool NeedsRestart { get; init; }
}
