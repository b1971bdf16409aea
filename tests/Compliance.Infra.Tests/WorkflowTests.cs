using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Compliance.Infra.Tests;

/// <summary>
/// The GitHub workflows are valid YAML, use only actions and versions that exist, run scripts that exist, run the same
/// test command as the README and CI, and sign in to Azure with OpenID Connect, never with a stored secret.
/// </summary>
public sealed partial class WorkflowTests
{
    // Each of these is a published action whose major version tag exists.
    private static readonly string[] _knownActions =
    [
        "actions/checkout@v4",
        "actions/setup-dotnet@v4",
        "actions/setup-node@v4",
        "actions/upload-artifact@v4",
        "azure/login@v2",
    ];

    public static TheoryData<string> Workflows => new() { "ci.yml", "deploy.yml" };

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Workflow_Parsed_HasTriggersJobsAndStepsThatRunOrUse(string file)
    {
        var root = Load(file);

        Assert.False(string.IsNullOrWhiteSpace(Scalar(root, "name")));
        Assert.True(root.Children.ContainsKey(new YamlScalarNode("on")), $"{file} has no 'on'.");
        var jobs = Assert.IsType<YamlMappingNode>(Mapping(root, "jobs"));
        Assert.NotEmpty(jobs.Children);
        foreach (var (name, node) in jobs.Children)
        {
            var job = (YamlMappingNode)node;
            Assert.Equal("ubuntu-latest", Scalar(job, "runs-on"));
            Assert.NotNull(Scalar(job, "timeout-minutes"));
            var steps = ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().ToList();
            Assert.NotEmpty(steps);
            Assert.All(steps, step => Assert.True(
                step.Children.ContainsKey(new YamlScalarNode("uses")) ^ step.Children.ContainsKey(new YamlScalarNode("run")),
                $"{file}/{name}: every step either uses an action or runs a command."));
        }
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Workflow_Uses_OnlyKnownActionsAndExistingFiles(string file)
    {
        var root = Load(file);

        foreach (var step in Steps(root))
        {
            if (Scalar(step, "uses") is { } action)
            {
                Assert.Contains(action, _knownActions);
            }

            if (Scalar(step, "run") is { } run)
            {
                foreach (Match path in RepositoryPath().Matches(run))
                {
                    Assert.True(File.Exists(RepositoryFiles.PathOf(path.Value.Split('/'))), $"{file} runs {path.Value}, which does not exist.");
                }
            }

            if (Mapping(step, "with") is { } inputs && inputs.Children.TryGetValue(new YamlScalarNode("global-json-file"), out var globalJson))
            {
                Assert.True(File.Exists(RepositoryFiles.PathOf(((YamlScalarNode)globalJson).Value!)));
            }
        }
    }

    [Fact]
    public void CiWorkflow_Test_RunsTheReadmeTestCommandLikeDotCiRun()
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("README.md"));
        var block = ReadmeCommands().Match(readme);
        Assert.True(block.Success, "The README starts with a bash block of its two commands.");
        var commands = block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('#')[0].Trim()).ToList();
        Assert.Equal(2, commands.Count);
        var testCommand = commands[1];

        var runs = Steps(Load("ci.yml")).Select(s => Scalar(s, "run")).OfType<string>().Select(r => r.Trim()).ToList();

        Assert.Contains(testCommand, runs);
        Assert.Contains(testCommand, File.ReadAllLines(RepositoryFiles.PathOf(".ci", "run")).Select(l => l.Trim()));
        // The test command builds and lints the Bicep with the CLI from the NuGet feed; nothing installs another.
        Assert.DoesNotContain(runs, r => r.Contains("bicep install", StringComparison.Ordinal));
    }

    [Fact]
    public void DeployWorkflow_SignIn_UsesOidcAndNoSecret()
    {
        var root = Load("deploy.yml");
        var text = File.ReadAllText(RepositoryFiles.PathOf(".github", "workflows", "deploy.yml"));

        Assert.Equal("write", Scalar(Mapping(root, "permissions")!, "id-token"));
        var login = Assert.Single(Steps(root), s => Scalar(s, "uses") == "azure/login@v2");
        var inputs = Mapping(login, "with")!;
        Assert.Equal(["client-id", "subscription-id", "tenant-id"], inputs.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Order());
        Assert.DoesNotContain("secrets.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("client-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("creds:", text, StringComparison.Ordinal);
        Assert.Contains(Steps(root), s => Scalar(s, "run") is { } run && run.Contains("bash infra/deploy.sh", StringComparison.Ordinal));
    }

    private static YamlMappingNode Load(string file)
    {
        using var reader = new StreamReader(RepositoryFiles.PathOf(".github", "workflows", file));
        var stream = new YamlStream();
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode root) =>
        Mapping(root, "jobs")!.Children.Values.Cast<YamlMappingNode>()
            .SelectMany(job => ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>());

    private static YamlMappingNode? Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    [GeneratedRegex(@"(?<![\w/.-])(?:tools|infra|\.ci)/[\w./-]+\.(?:sh|bicep)", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPath();

    [GeneratedRegex("^# .+?\\n+```bash\\n(.+?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ReadmeCommands();
}
