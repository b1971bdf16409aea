using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Compliance.Core.Rules;

/// <summary>
/// Reads a vulnerabilities file as the kernel composes it: a first clause, then clauses after <c>; </c> (for
/// <c>spectre_v2</c> also after <c>, </c>, its separator before Linux 6.9, with a <c>KVM: …</c> part kept with the
/// BHI clause it belongs to), and for <c>spectre_v2</c> the " - vulnerable module loaded" ending. Each clause is judged
/// from <see cref="LinuxKnownStates"/>; a clause the table does not know, or an empty value, establishes nothing.
/// Nothing is judged by its first word: "Mitigation: …" in an unknown wording is as unknown as any other.
/// </summary>
public static partial class LinuxStateClassifier
{
    private const string ModuleEnding = " - vulnerable module loaded";

    // A fleet repeats the same few hundred values; readings are remembered, up to a bound that hostile guests, each
    // printing values of their own, cannot push memory past. The kernels' values are under 300 characters.
    private const int MaxRemembered = 4096;
    private const int MaxRememberedLength = 512;
    private static readonly ConcurrentDictionary<(string File, string Value), LinuxStateReading> _remembered = new();

    /// <summary>Reads <paramref name="value"/> of the file <paramref name="file"/>.</summary>
    public static LinuxStateReading Read(string file, string? value)
    {
        ArgumentNullException.ThrowIfNull(file);
        var key = (file, value ?? string.Empty);
        if (_remembered.TryGetValue(key, out var remembered))
        {
            return remembered;
        }

        var reading = ReadUncached(file, value);
        if (key.Item2.Length <= MaxRememberedLength && _remembered.Count < MaxRemembered)
        {
            _remembered.TryAdd(key, reading);
        }

        return reading;
    }

    private static LinuxStateReading ReadUncached(string file, string? value)
    {
        var states = LinuxKnownStates.For(file);
        var text = Normalise(value ?? string.Empty);
        if (text.Length == 0)
        {
            return new LinuxStateReading(file, value ?? string.Empty, LinuxStateKind.Unrecognised, LinuxStateCause.None, [], VulnerableModule: false);
        }

        var module = false;
        if (states.File == LinuxKnownStates.SpectreV2 && text.EndsWith(ModuleEnding, StringComparison.OrdinalIgnoreCase))
        {
            module = true;
            text = text[..^ModuleEnding.Length].TrimEnd();
        }

        var clauses = ReadClauses(states, Tokens(states, text));
        var (kind, cause) = Judge(clauses, module);
        return new LinuxStateReading(file, value ?? string.Empty, kind, cause, clauses, module);
    }

    // Blanks are tolerated: runs of white space become one space, and separators get their canonical spacing.
    private static string Normalise(string value) =>
        SeparatorPattern().Replace(BlankPattern().Replace(value.Trim(), " "), m => m.Value.Trim() + " ").Trim();

    private static List<(string Separator, string Text)> Tokens(LinuxFileStates states, string text)
    {
        var separators = states.File == LinuxKnownStates.SpectreV2 ? SpectreV2SeparatorPattern() : ClauseSeparatorPattern();
        var tokens = new List<(string Separator, string Text)>();
        var at = 0;
        var separator = string.Empty;
        foreach (Match match in separators.Matches(text))
        {
            tokens.Add((separator, text[at..match.Index]));
            separator = match.Value;
            at = match.Index + match.Length;
        }

        tokens.Add((separator, text[at..]));
        if (states.File != LinuxKnownStates.SpectreV2)
        {
            return tokens;
        }

        // "BHI: SW loop, KVM: SW loop" is one clause: its KVM part follows a comma in every kernel that prints it.
        var merged = new List<(string Separator, string Text)>(tokens.Count);
        foreach (var token in tokens)
        {
            if (merged.Count > 0 && token.Separator == ", " && token.Text.StartsWith("KVM:", StringComparison.OrdinalIgnoreCase))
            {
                var (previousSeparator, previousText) = merged[^1];
                merged[^1] = (previousSeparator, previousText + token.Separator + token.Text);
            }
            else
            {
                merged.Add(token);
            }
        }

        return merged;
    }

    // The first clause is the longest run of tokens that is a known first clause (a few first clauses contain a
    // separator themselves, such as spectre_v1's "...; no swapgs barriers"); each later token must be a known clause.
    // No known first clause spans more than two tokens, so a hostile value of many separators costs little.
    private static List<LinuxClauseReading> ReadClauses(LinuxFileStates states, List<(string Separator, string Text)> tokens)
    {
        const int MaxFirstClauseTokens = 4;
        var readings = new List<LinuxClauseReading>(tokens.Count);
        var baseLength = 0;
        LinuxKnownState? baseState = null;
        var candidate = string.Empty;
        for (var n = 1; n <= Math.Min(tokens.Count, MaxFirstClauseTokens); n++)
        {
            candidate = n == 1 ? tokens[0].Text : candidate + tokens[n - 1].Separator + tokens[n - 1].Text;
            if (states.Bases.FirstOrDefault(s => s.Matches(candidate)) is { } match)
            {
                baseState = match;
                baseLength = n;
            }
        }

        if (baseState is null)
        {
            // Without a known first clause the rest cannot be placed either: the whole value is one unknown clause.
            readings.Add(LinuxClauseReading.Unrecognised(string.Concat(tokens.Select(t => t.Separator + t.Text))));
            return readings;
        }

        if (baseState.Kind == LinuxStateKind.NotAffected && baseLength < tokens.Count)
        {
            // The kernels print "Not affected" alone: anything after it is not a state they report.
            readings.Add(LinuxClauseReading.Unrecognised(string.Concat(tokens.Select(t => t.Separator + t.Text))));
            return readings;
        }

        readings.Add(LinuxClauseReading.Of(string.Concat(tokens.Take(baseLength).Select(t => t.Separator + t.Text)), baseState));
        foreach (var (_, text) in tokens.Skip(baseLength))
        {
            readings.Add(states.Clauses.FirstOrDefault(s => s.Matches(text)) is { } clause
                ? LinuxClauseReading.Of(text, clause)
                : LinuxClauseReading.Unrecognised(text));
        }

        return readings;
    }

    private static (LinuxStateKind Kind, LinuxStateCause Cause) Judge(List<LinuxClauseReading> clauses, bool module)
    {
        if (clauses.Any(c => c.Kind == LinuxStateKind.Unrecognised))
        {
            return (LinuxStateKind.Unrecognised, LinuxStateCause.None);
        }

        if (clauses.FirstOrDefault(c => c.Kind == LinuxStateKind.Unknown) is { } unknown)
        {
            return (LinuxStateKind.Unknown, unknown.Cause);
        }

        if (clauses[0].Kind == LinuxStateKind.Vulnerable)
        {
            return (LinuxStateKind.Vulnerable, clauses[0].Cause);
        }

        if (module)
        {
            return (LinuxStateKind.Vulnerable, LinuxStateCause.Module);
        }

        if (clauses.FirstOrDefault(c => c.Kind == LinuxStateKind.Vulnerable) is { } vulnerable)
        {
            return (LinuxStateKind.Vulnerable, vulnerable.Cause);
        }

        if (clauses.FirstOrDefault(c => c.Kind == LinuxStateKind.LaterHole) is { } hole)
        {
            return (LinuxStateKind.LaterHole, hole.Cause);
        }

        return (clauses[0].Kind == LinuxStateKind.NotAffected ? LinuxStateKind.NotAffected : LinuxStateKind.Mitigated, LinuxStateCause.None);
    }

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex BlankPattern();

    [GeneratedRegex(@"\s*[;,]\s*", RegexOptions.CultureInvariant)]
    private static partial Regex SeparatorPattern();

    [GeneratedRegex(@"; ", RegexOptions.CultureInvariant)]
    private static partial Regex ClauseSeparatorPattern();

    [GeneratedRegex(@"; |, ", RegexOptions.CultureInvariant)]
    private static partial Regex SpectreV2SeparatorPattern();
}
