using System.Text;
using System.Text.RegularExpressions;

namespace Compliance.Core.Remediation;

/// <summary>
/// What a remediation script reported: the values it set and, when it did not end well, why. Read strictly from its
/// stdout, which is hostile input like any guest output: every non-empty line is <c>SET &lt;name&gt;=&lt;value&gt;
/// PREVIOUS=&lt;value|absent|invalid&gt;</c> with a known name and short plain tokens, and the last is <c>RESULT ok</c>
/// or <c>RESULT error &lt;reason&gt;</c>. Anything else (an unknown line, a repeated value, no result, more than
/// <see cref="MaxOutputBytes"/>) is an <see cref="Error"/>, never an exception; no control character is passed on.
/// </summary>
/// <param name="Settings">The values the script reported it set, in its order.</param>
/// <param name="Error">Why the run did not succeed (the script's own reason, or what is wrong with its output); <c>null</c> when it succeeded.</param>
public sealed partial record RemediationScriptOutput(IReadOnlyList<RemediationSetting> Settings, string? Error)
{
    /// <summary>The most output read, in UTF-8 bytes (what Run Command keeps of a stream).</summary>
    public const int MaxOutputBytes = 4096;

    /// <summary>The most lines read; the scripts print at most three.</summary>
    public const int MaxLines = 16;

    private const int MaxReasonLength = 200;

    /// <summary>The names a script may report setting.</summary>
    public static IReadOnlyList<string> KnownNames { get; } =
        ["FeatureSettingsOverride", "FeatureSettingsOverrideMask", "MinVmVersionForCpuBasedMitigations", "kernel.unprivileged_bpf_disabled"];

    /// <summary>Whether the script reported success in a well-formed output.</summary>
    public bool Succeeded => Error is null;

    /// <summary>Reads <paramref name="stdout"/>.</summary>
    public static RemediationScriptOutput Parse(string? stdout)
    {
        var settings = new List<RemediationSetting>();
        if (string.IsNullOrWhiteSpace(stdout))
        {
            return new(settings, "the script printed nothing");
        }

        if (Encoding.UTF8.GetByteCount(stdout) > MaxOutputBytes)
        {
            return new(settings, $"the output is longer than {MaxOutputBytes} bytes");
        }

        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r', ' ', '\t')).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        if (lines.Count > MaxLines)
        {
            return new(settings, $"the output has more than {MaxLines} lines");
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var last = i == lines.Count - 1;
            if (line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                if (!last)
                {
                    return new(settings, $"line {i + 1}: a result line before the end of the output");
                }

                var result = line["RESULT ".Length..];
                if (result == "ok")
                {
                    return new(settings, null);
                }

                if (result.StartsWith("error ", StringComparison.Ordinal) && result.Length > "error ".Length)
                {
                    return new(settings, "the script failed: " + Reason(result["error ".Length..]));
                }

                return new(settings, $"line {i + 1}: a result that is neither 'ok' nor 'error <reason>'");
            }

            if (SetLine().Match(line) is not { Success: true } match)
            {
                return new(settings, $"line {i + 1} is not a SET or RESULT line: {Reason(line)}");
            }

            var name = match.Groups["name"].Value;
            if (!KnownNames.Contains(name, StringComparer.Ordinal))
            {
                return new(settings, $"line {i + 1} sets an unknown value '{name}'");
            }

            if (settings.Any(s => s.Name == name))
            {
                return new(settings, $"line {i + 1} sets '{name}' a second time");
            }

            var previous = match.Groups["previous"].Value;
            settings.Add(new RemediationSetting(name, match.Groups["value"].Value, previous == "absent" ? null : previous));
        }

        return new(settings, "the output has no RESULT line: the script did not finish");
    }

    // Text from the guest, shortened and with every character outside printable ASCII shown as '?'.
    private static string Reason(string text)
    {
        var shown = text.Length <= MaxReasonLength ? text : text[..MaxReasonLength];
        var builder = new StringBuilder(shown.Length + 1);
        foreach (var c in shown)
        {
            builder.Append(c is >= ' ' and < '\u007F' ? c : '?');
        }

        return text.Length <= MaxReasonLength ? builder.ToString() : builder.Append('…').ToString();
    }

    // Names are checked against KnownNames; values are short plain tokens (a number, "1.0", "invalid").
    [GeneratedRegex(@"^SET (?<name>[A-Za-z0-9_.]{1,64})=(?<value>[A-Za-z0-9._-]{1,32}) PREVIOUS=(?<previous>[A-Za-z0-9._-]{1,32})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex SetLine();
}
