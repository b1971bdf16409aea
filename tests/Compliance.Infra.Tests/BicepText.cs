using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>
/// Reads the few shapes the consistency checks need out of Bicep text (no Bicep compiler runs here): the app settings
/// list, string arrays after a key, function references and outputs. The Bicep files keep these shapes on purpose.
/// </summary>
internal static partial class BicepText
{
    /// <summary>
    /// The entries <c>{ name: 'NAME', value: EXPRESSION }</c> of every <c>appSettings: [ ... ]</c> array, by name,
    /// with the value expression as written.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> AppSettings(string text)
    {
        var settings = new List<(string, string)>();
        foreach (var block in Arrays(text, "appSettings"))
        {
            foreach (Match entry in AppSettingPattern().Matches(block))
            {
                settings.Add((entry.Groups["name"].Value, entry.Groups["value"].Value.Trim()));
            }
        }

        return settings;
    }

    /// <summary>The single-quoted strings of every array that follows <c>key: [</c>.</summary>
    public static IReadOnlyList<string> Strings(string text, string key) =>
        Arrays(text, key).SelectMany(block => StringPattern().Matches(block).Select(m => m.Groups[1].Value)).ToList();

    /// <summary>The <c>values</c> array of the advanced filter on <paramref name="filterKey"/>.</summary>
    public static IReadOnlyList<string> FilterValues(string text, string filterKey)
    {
        var at = text.IndexOf($"key: '{filterKey}'", StringComparison.Ordinal);
        var values = at < 0 ? null : Arrays(text[at..], "values").FirstOrDefault();
        return values is null ? [] : StringPattern().Matches(values).Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>The function names of <c>.../functions/NAME</c> references.</summary>
    public static IReadOnlyList<string> FunctionReferences(string text) =>
        FunctionReferencePattern().Matches(text).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Every single-quoted string literal.</summary>
    public static IReadOnlyList<string> Literals(string text) => StringPattern().Matches(text).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The <c>output NAME TYPE = EXPRESSION</c> lines.</summary>
    public static IReadOnlyList<(string Name, string Expression)> Outputs(string text) =>
        OutputPattern().Matches(text).Select(m => (m.Groups["name"].Value, m.Groups["value"].Value.Trim())).ToList();

    /// <summary>The parameter declarations, with the decorators on the lines just above them.</summary>
    public static IReadOnlyList<(string Name, string Decorators)> Parameters(string text)
    {
        var lines = text.Split('\n');
        var parameters = new List<(string, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = ParameterPattern().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var decorators = new List<string>();
            for (var j = i - 1; j >= 0 && lines[j].TrimStart().StartsWith('@'); j--)
            {
                decorators.Add(lines[j].Trim());
            }

            parameters.Add((match.Groups[1].Value, string.Join(' ', decorators)));
        }

        return parameters;
    }

    // The text between "key: [" and its matching "]", for each occurrence.
    private static IEnumerable<string> Arrays(string text, string key)
    {
        foreach (Match start in new Regex($@"\b{Regex.Escape(key)}\s*:\s*\[", RegexOptions.CultureInvariant).Matches(text))
        {
            var depth = 1;
            var i = start.Index + start.Length;
            var inString = false;
            for (; i < text.Length && depth > 0; i++)
            {
                var c = text[i];
                if (c == '\'')
                {
                    inString = !inString;
                }
                else if (!inString && c == '[')
                {
                    depth++;
                }
                else if (!inString && c == ']')
                {
                    depth--;
                }
            }

            yield return text[(start.Index + start.Length)..(i - 1)];
        }
    }

    [GeneratedRegex(@"\{\s*name:\s*'(?<name>[^']+)'\s*,?\s*value:\s*(?<value>.+?)\s*\}\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex AppSettingPattern();

    [GeneratedRegex(@"'((?:[^'\\]|\\.)*)'", RegexOptions.CultureInvariant)]
    private static partial Regex StringPattern();

    [GeneratedRegex(@"/functions/([A-Za-z0-9_-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionReferencePattern();

    [GeneratedRegex(@"^\s*output\s+(?<name>\w+)\s+\w+\s*=\s*(?<value>.+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex OutputPattern();

    [GeneratedRegex(@"^\s*param\s+(\w+)\s", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterPattern();
}
