using System.Text.Json;
using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>
/// Every <c>.bicep</c> file compiles and passes the linter with the rules of <c>infra/bicepconfig.json</c>, through the
/// Bicep CLI of the NuGet package: no error, and no warning but of a rule the configuration sets to "warning" with its
/// reason beside it.
/// </summary>
public sealed partial class BicepBuildTests
{
    public static TheoryData<string> BicepFiles => new(
        Directory.EnumerateFiles(RepositoryFiles.PathOf("infra"), "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task BuildAndLint_EveryFile_NoErrorAndOnlyAllowedWarnings(string file)
    {
        var run = await BicepCli.CheckAsync(RepositoryFiles.PathOf(file));

        Assert.True(run.BuildExitCode == 0, $"bicep build {file} exited {run.BuildExitCode}: {string.Join("; ", run.Diagnostics)}");
        Assert.True(run.LintExitCode == 0, $"bicep lint {file} exited {run.LintExitCode}: {string.Join("; ", run.Diagnostics)}");
        using var template = JsonDocument.Parse(run.Template);
        Assert.True(template.RootElement.TryGetProperty("resources", out _), $"bicep build {file} wrote no ARM template.");
        Assert.Empty(Unallowed(run.Diagnostics, AllowedWarnings()));
    }

    [Fact]
    public void Configuration_EveryRuleBelowError_SaysWhy()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("infra", "bicepconfig.json"));
        var relaxed = lines
            .Select((line, index) => (Match: RuleLevel().Match(line), Index: index))
            .Where(r => r.Match.Success && r.Match.Groups["level"].Value != "error")
            .ToList();

        Assert.NotEmpty(relaxed);
        foreach (var (match, index) in relaxed)
        {
            // The reason is the comment right above the rule.
            var above = index > 0 ? lines[index - 1].Trim() : string.Empty;
            Assert.True(above.StartsWith("//", StringComparison.Ordinal) && above.Length > 20, $"bicepconfig.json: {match.Groups["rule"].Value} is set to {match.Groups["level"].Value} without a reason in a comment above it.");
        }
    }

    [Fact]
    public async Task BuildAndLint_AMistakeTheLinterKnows_IsReported()
    {
        // The checks above can fail: a copy of main.bicep with an unused parameter and an unnecessary dependsOn.
        var folder = Directory.CreateTempSubdirectory("compliance-bicep-");
        try
        {
            CopyFolder(RepositoryFiles.PathOf("infra"), folder.FullName);
            var main = Path.Combine(folder.FullName, "main.bicep");
            var text = await File.ReadAllTextAsync(main);
            text = "param neverUsed string = 'x'\n" + text;
            text = Regex.Replace(text, @"(deadLetterContainer: storage\.outputs\.deadLetterContainerName\n  \})", "$1\n  dependsOn: [\n    rg\n  ]");
            await File.WriteAllTextAsync(main, text);

            var run = await BicepCli.CheckAsync(main);

            var unallowed = Unallowed(run.Diagnostics, AllowedWarnings());
            Assert.Contains(unallowed, d => d.Code == "no-unused-params");
            Assert.Contains(unallowed, d => d.Code == "no-unnecessary-dependson");
            Assert.NotEqual(0, run.LintExitCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // The rules the configuration sets to "warning" (each with its reason: see the test above).
    private static HashSet<string> AllowedWarnings() =>
        [.. File.ReadAllLines(RepositoryFiles.PathOf("infra", "bicepconfig.json"))
            .Select(l => RuleLevel().Match(l))
            .Where(m => m.Success && m.Groups["level"].Value == "warning")
            .Select(m => m.Groups["rule"].Value)];

    private static List<BicepDiagnostic> Unallowed(IEnumerable<BicepDiagnostic> diagnostics, HashSet<string> allowedWarnings) =>
        [.. diagnostics.Where(d => d.Level == "Error" || (d.Level == "Warning" && !allowedWarnings.Contains(d.Code)))];

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [GeneratedRegex(@"^\s*""(?<rule>[\w-]+)"":\s*\{\s*""level"":\s*""(?<level>\w+)""", RegexOptions.CultureInvariant)]
    private static partial Regex RuleLevel();
}
