using System.Globalization;
using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>
/// The fixed value a Bicep expression takes in a deployment of <c>infra/main.bicep</c>, followed through the files the
/// way the deployment wires them: a literal; a <c>var</c>; a <c>param</c>, taking what its caller's module block passes
/// or else its default; <c>module.outputs.NAME</c>; <c>resource.name</c>; an interpolation of those; a product of
/// integers. Anything else (a runtime value, a function call) has no fixed value: null.
/// </summary>
internal sealed partial class BicepValues(InfraDocuments documents)
{
    // Deep enough for main -> module -> nested module and back through outputs; a cycle ends here too.
    private const int MaxDepth = 24;

    private readonly Dictionary<string, IReadOnlyList<BicepDeclaration>> _declarations = new(StringComparer.Ordinal);

    public string? Resolve(string file, string? expression) => Resolve(file, expression, 0);

    private string? Resolve(string file, string? expression, int depth)
    {
        if (expression is null || depth > MaxDepth || !documents.Files.TryGetValue(file, out var text))
        {
            return null;
        }

        var e = expression.Trim();
        if (BicepText.Literal(e) is { } literal)
        {
            return literal;
        }

        if (InterpolationPattern().Match(e) is { Success: true } interpolated)
        {
            return Interpolate(file, interpolated.Groups[1].Value, depth);
        }

        if (ProductPattern().IsMatch(e))
        {
            return e.Split('*').Aggregate(1L, (product, factor) => product * long.Parse(factor.Trim(), CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
        }

        if (OutputPattern().Match(e) is { Success: true } output)
        {
            var module = Declarations(file).FirstOrDefault(d => d.Kind == "module" && d.Symbol == output.Groups["symbol"].Value);
            var target = module is null ? null : Relative(file, module.Target);
            return target is not null && documents.Files.TryGetValue(target, out var moduleText)
                ? Resolve(target, BicepText.Outputs(moduleText).Where(o => o.Name == output.Groups["name"].Value).Select(o => o.Expression).FirstOrDefault(), depth + 1)
                : null;
        }

        if (NamePattern().Match(e) is { Success: true } name)
        {
            var resource = Declarations(file).FirstOrDefault(d => d.Kind == "resource" && d.Symbol == name.Groups[1].Value);
            return resource is null ? null : Resolve(file, BicepText.Property(resource.Body, "name"), depth + 1);
        }

        if (IdentifierPattern().IsMatch(e))
        {
            if (BicepText.Declared(text, "var", e) is { } variable)
            {
                return Resolve(file, variable, depth + 1);
            }

            if (BicepText.DeclaresParameter(text, e))
            {
                return Passed(file, e) is { } passed
                    ? Resolve(passed.File, passed.Expression, depth + 1)
                    : Resolve(file, BicepText.Declared(text, "param", e), depth + 1);
            }
        }

        return null;
    }

    // What a module block that deploys `file` passes for its parameter, and in which file that block is.
    private (string File, string Expression)? Passed(string file, string parameter)
    {
        foreach (var caller in documents.Bicep.Select(f => f.Key))
        {
            foreach (var module in Declarations(caller).Where(d => d.Kind == "module" && Relative(caller, d.Target) == file))
            {
                if (BicepText.Property(BicepText.Inner(BicepText.Property(module.Body, "params")), parameter) is { } expression)
                {
                    return (caller, expression);
                }
            }
        }

        return null;
    }

    private string? Interpolate(string file, string body, int depth)
    {
        var parts = new List<string>();
        var rest = body;
        while (rest.IndexOf("${", StringComparison.Ordinal) is var start and >= 0)
        {
            var end = rest.IndexOf('}', start);
            var value = end < 0 ? null : Resolve(file, rest[(start + 2)..end], depth + 1);
            if (value is null)
            {
                return null;
            }

            parts.Add(rest[..start]);
            parts.Add(value);
            rest = rest[(end + 1)..];
        }

        parts.Add(rest);
        return string.Concat(parts);
    }

    private IReadOnlyList<BicepDeclaration> Declarations(string file)
    {
        if (!_declarations.TryGetValue(file, out var declarations))
        {
            declarations = BicepText.Declarations(documents.Files[file]);
            _declarations[file] = declarations;
        }

        return declarations;
    }

    // A module path relative to the file that declares it, as a repository-relative path.
    private static string Relative(string file, string path)
    {
        var segments = new List<string>(file.Split('/')[..^1]);
        foreach (var segment in path.Split('/'))
        {
            if (segment == "..")
            {
                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    [GeneratedRegex(@"^'((?:[^'\\{}]|\\.|\$\{[^{}']*\})*)'$", RegexOptions.CultureInvariant)]
    private static partial Regex InterpolationPattern();

    [GeneratedRegex(@"^\d+(\s*\*\s*\d+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ProductPattern();

    [GeneratedRegex(@"^(?<symbol>[A-Za-z_]\w*)\.outputs\.(?<name>[A-Za-z_]\w*)$", RegexOptions.CultureInvariant)]
    private static partial Regex OutputPattern();

    [GeneratedRegex(@"^([A-Za-z_]\w*)\.name$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z_]\w*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
