using System.Security.Cryptography;
using System.Text;
using Compliance.Core.Inventory;

namespace Compliance.Core.Guest;

/// <summary>
/// One of the fixed, read-only guest scripts. It is a constant embedded in this assembly: nothing from ARM, tags or
/// users is ever put into it, and it takes no parameters.
/// </summary>
public sealed record GuestScript
{
    internal GuestScript(OsType os, string commandId, string text)
    {
        Os = os;
        CommandId = commandId;
        Text = text;
        Lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        Sha256 = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The OS the script is for.</summary>
    public OsType Os { get; }

    /// <summary>The Run Command id that runs it: <c>RunPowerShellScript</c> or <c>RunShellScript</c>.</summary>
    public string CommandId { get; }

    /// <summary>The script text.</summary>
    public string Text { get; }

    /// <summary>The script as Run Command takes it: one string per line.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The SHA-256 of <see cref="Text"/>, for evidence and audit.</summary>
    public string Sha256 { get; }
}
