using System.Reflection;
using System.Text.RegularExpressions;
using Compliance.Core.Rules;

namespace Compliance.Core.Tests.Rules;

/// <summary><c>docs/rules.md</c> lists every rule and every known Linux wording with its source, as the code has them.</summary>
public sealed class RulesDocumentationTests
{
    private static readonly Lazy<string> _rules = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Compliance.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return File.ReadAllText(Path.Combine(directory.FullName, "docs", "rules.md"));
    });

    public static TheoryData<string> Codes()
    {
        var codes = new TheoryData<string>();
        foreach (var property in typeof(FindingCode).GetProperties(BindingFlags.Public | BindingFlags.Static).Where(p => p.PropertyType == typeof(FindingCode)))
        {
            codes.Add(property.GetValue(null)!.ToString()!);
        }

        return codes;
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Rules_EveryFindingCode_HasItsSection(string code) =>
        Assert.Matches(new Regex($"^###? .*`{Regex.Escape(code)}`", RegexOptions.Multiline), _rules.Value);

    [Fact]
    public void Rules_EveryKnownLinuxWording_IsListedWithItsSource()
    {
        foreach (var states in LinuxKnownStates.All)
        {
            var section = Regex.Match(_rules.Value, $@"^### `{Regex.Escape(states.File)}`:.*?(?=^###? |\z)", RegexOptions.Multiline | RegexOptions.Singleline);
            Assert.True(section.Success, $"docs/rules.md has no section for {states.File}");
            foreach (var state in states.Bases.Concat(states.Clauses))
            {
                var wording = Regex.Unescape(state.Pattern).Replace("|", "\\|", StringComparison.Ordinal);
                var row = $"`{wording}` | {state.Kind} | {state.Cause} |";
                Assert.True(section.Value.Contains(row, StringComparison.Ordinal), $"{states.File}: no row \"{row}\"");
                Assert.Contains(state.Source.Replace("|", "\\|", StringComparison.Ordinal), section.Value, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Rules_EveryRemediationAction_IsExplained()
    {
        foreach (var action in Enum.GetNames<RemediationAction>())
        {
            Assert.Contains($"| `{action}` |", _rules.Value, StringComparison.Ordinal);
        }
    }
}
