using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>
/// Reads the few shapes the consistency checks need out of Bicep text (no Bicep compiler runs here): the app settings
/// list, string arrays after a key, outputs, declarations, and resource and module bodies with their top-level
/// properties. The Bicep files keep these shapes on purpose.
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

    /// <summary>
    /// Every <c>resource</c> and <c>module</c> declaration (nested ones too): its symbol, its type without the API
    /// version (or the module's path), whether it is <c>existing</c>, and the text between its braces.
    /// </summary>
    public static IReadOnlyList<BicepDeclaration> Declarations(string text)
    {
        var code = WithoutComments(text);
        var declarations = new List<BicepDeclaration>();
        foreach (Match header in DeclarationPattern().Matches(code))
        {
            var open = code.IndexOf('{', header.Index + header.Length);
            if (open < 0)
            {
                continue;
            }

            var close = Close(code, open);
            declarations.Add(new BicepDeclaration(
                header.Groups["kind"].Value,
                header.Groups["symbol"].Value,
                header.Groups["target"].Value.Split('@')[0],
                header.Groups["existing"].Success,
                code[(open + 1)..close]));
        }

        return declarations;
    }

    /// <summary>The value of <c>var NAME = …</c>, or the default of <c>param NAME TYPE = …</c>; null without one.</summary>
    public static string? Declared(string text, string keyword, string name)
    {
        var code = WithoutComments(text);
        var match = new Regex($@"^[ \t]*{keyword}\s+{Regex.Escape(name)}\b[^=\n]*=[ \t]*", RegexOptions.Multiline | RegexOptions.CultureInvariant).Match(code);
        return match.Success ? Segments(code[(match.Index + match.Length)..]).FirstOrDefault() : null;
    }

    /// <summary>True when <paramref name="text"/> declares <c>param NAME</c>, with or without a default.</summary>
    public static bool DeclaresParameter(string text, string name) =>
        new Regex($@"^[ \t]*param\s+{Regex.Escape(name)}\s", RegexOptions.Multiline | RegexOptions.CultureInvariant).IsMatch(WithoutComments(text));

    /// <summary>The top-level <c>key: value</c> entries of an object's body, each value as written (a nested object or array whole).</summary>
    public static IReadOnlyList<(string Key, string Value)> Entries(string body) =>
        Segments(body)
            .Select(segment => EntryPattern().Match(segment))
            .Where(m => m.Success)
            .Select(m => (m.Groups["key"].Value.Trim('\''), m.Groups["value"].Value.Trim()))
            .ToList();

    /// <summary>The value of the top-level entry <paramref name="key"/> of an object's body, or null.</summary>
    public static string? Property(string? body, string key) =>
        body is null ? null : Entries(body).Where(e => e.Key == key).Select(e => e.Value).FirstOrDefault();

    /// <summary>The body of a nested object or array value (<c>{ … }</c> or <c>[ … ]</c>), or null for anything else.</summary>
    public static string? Inner(string? value) =>
        value is { Length: >= 2 } && (value[0], value[^1]) is ('{', '}') or ('[', ']') ? value[1..^1] : null;

    /// <summary>The top-level items of an array's body.</summary>
    public static IReadOnlyList<string> Items(string? body) => body is null ? [] : Segments(body);

    /// <summary>The value of a single-quoted string literal without interpolation, or null.</summary>
    public static string? Literal(string? expression) =>
        expression is not null && LiteralPattern().Match(expression.Trim()) is { Success: true } m && !m.Groups[1].Value.Contains("${", StringComparison.Ordinal)
            ? EscapePattern().Replace(m.Groups[1].Value, "$1")
            : null;

    // The body split at top-level newlines and commas, comments dropped, empty pieces left out.
    private static List<string> Segments(string body)
    {
        var code = WithoutComments(body);
        var kinds = Classify(code);
        var segments = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= code.Length; i++)
        {
            if (i < code.Length && kinds[i] == CodeChar)
            {
                var c = code[i];
                if (c is '{' or '[' or '(')
                {
                    depth++;
                    continue;
                }

                if (c is '}' or ']' or ')')
                {
                    depth--;
                    continue;
                }
            }

            if (i == code.Length || (depth == 0 && kinds[i] == CodeChar && code[i] is '\n' or ','))
            {
                var segment = code[start..i].Trim();
                if (segment.Length > 0)
                {
                    segments.Add(segment);
                }

                start = i + 1;
            }
        }

        return segments;
    }

    // The index of the bracket that closes the one at open.
    private static int Close(string code, int open)
    {
        var kinds = Classify(code);
        var depth = 0;
        for (var i = open; i < code.Length; i++)
        {
            if (kinds[i] != CodeChar)
            {
                continue;
            }

            if (code[i] is '{' or '[' or '(')
            {
                depth++;
            }
            else if (code[i] is '}' or ']' or ')' && --depth == 0)
            {
                return i;
            }
        }

        return code.Length;
    }

    private static string WithoutComments(string text)
    {
        var kinds = Classify(text);
        return new string(text.Select((c, i) => kinds[i] == CommentChar && c != '\n' ? ' ' : c).ToArray());
    }

    private const char CodeChar = 'c';
    private const char StringChar = 's';
    private const char CommentChar = '/';

    // What each character is: code, part of a string literal (interpolations included, so their braces never count),
    // or part of a comment.
    private static char[] Classify(string text)
    {
        var kinds = new char[text.Length];
        var interpolations = new Stack<int>();
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (inString)
            {
                kinds[i] = StringChar;
                if (c == '\\' && next != '\0')
                {
                    kinds[++i] = StringChar;
                }
                else if (c == '\'')
                {
                    inString = false;
                }
                else if (c == '$' && next == '{')
                {
                    kinds[++i] = StringChar;
                    interpolations.Push(0);
                    inString = false;
                }

                continue;
            }

            if (c == '/' && next is '/' or '*')
            {
                var end = next == '/' ? text.IndexOf('\n', i) : text.IndexOf("*/", i + 2, StringComparison.Ordinal) + 2;
                end = end < i ? text.Length : end;
                for (; i < end; i++)
                {
                    kinds[i] = CommentChar;
                }

                i--;
                continue;
            }

            kinds[i] = interpolations.Count > 0 ? StringChar : CodeChar;
            if (c == '\'')
            {
                kinds[i] = StringChar;
                inString = true;
            }
            else if (interpolations.Count > 0 && c == '{')
            {
                interpolations.Push(interpolations.Pop() + 1);
            }
            else if (interpolations.Count > 0 && c == '}')
            {
                var depth = interpolations.Pop();
                if (depth == 0)
                {
                    inString = true;
                }
                else
                {
                    interpolations.Push(depth - 1);
                }
            }
        }

        return kinds;
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

    [GeneratedRegex(@"^'((?:[^'\\]|\\.)*)'$", RegexOptions.CultureInvariant)]
    private static partial Regex LiteralPattern();

    // Bicep escapes: \', \\, \$ (the literals here hold no \n, \t or \u{…}).
    [GeneratedRegex(@"\\(.)", RegexOptions.CultureInvariant)]
    private static partial Regex EscapePattern();

    [GeneratedRegex(@"^(?<key>[A-Za-z_]\w*|'[^']*')\s*:\s*(?<value>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex EntryPattern();

    [GeneratedRegex(@"^[ \t]*(?<kind>resource|module)\s+(?<symbol>\w+)\s+'(?<target>[^']*)'\s*(?<existing>existing\s*)?=", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex DeclarationPattern();

    [GeneratedRegex(@"^\s*output\s+(?<name>\w+)\s+\w+\s*=\s*(?<value>.+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex OutputPattern();

    [GeneratedRegex(@"^\s*param\s+(\w+)\s", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterPattern();
}
