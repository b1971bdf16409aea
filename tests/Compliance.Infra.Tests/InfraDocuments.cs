using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Infra.Tests;

/// <summary>
/// The text of every file the consistency checks read, by repository-relative path: the Bicep files, the sample
/// settings and the function definitions (<c>functions.metadata</c>, at <see cref="MetadataPath"/>). Immutable, so a
/// test can check a mutated copy.
/// </summary>
internal sealed record InfraDocuments(IReadOnlyDictionary<string, string> Files, string MetadataPath)
{
    public const string LocalSettings = "src/Compliance.Functions/local.settings.sample.json";
    public const string HostJson = "src/Compliance.Functions/host.json";
    public const string MainBicep = "infra/main.bicep";

    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true };

    /// <summary>The repository's files, with the function definitions of <see cref="FunctionsMetadata.PathOf()"/>.</summary>
    public static InfraDocuments Load() => Load(FunctionsMetadata.PathOf());

    public static InfraDocuments Load(string metadataFile)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string Add(string path)
        {
            var relative = Path.GetRelativePath(RepositoryFiles.Root, path).Replace('\\', '/');
            files[relative] = File.ReadAllText(path);
            return relative;
        }

        foreach (var bicep in Directory.EnumerateFiles(RepositoryFiles.PathOf("infra"), "*.bicep", SearchOption.AllDirectories))
        {
            Add(bicep);
        }

        Add(RepositoryFiles.PathOf(LocalSettings.Split('/')));
        return new InfraDocuments(files, Add(metadataFile));
    }

    public IEnumerable<KeyValuePair<string, string>> Bicep => Files.Where(f => f.Key.EndsWith(".bicep", StringComparison.Ordinal));

    public string Metadata => Files[MetadataPath];

    /// <summary>A copy with one file's text changed by <paramref name="change"/>; fails the test when nothing changed.</summary>
    public InfraDocuments Change(string path, Func<string, string> change)
    {
        var before = Files[path];
        var after = change(before);
        Assert.NotEqual(before, after);
        return this with { Files = new SortedDictionary<string, string>(Files.ToDictionary(), StringComparer.Ordinal) { [path] = after } };
    }

    /// <summary>A copy whose <c>functions.metadata</c> has the function <paramref name="name"/> changed in place.</summary>
    public InfraDocuments ChangeFunction(string name, Action<JsonObject> change) => Change(MetadataPath, text =>
    {
        var functions = JsonNode.Parse(text)!.AsArray();
        var function = Assert.Single(functions, f => (string?)f!["name"] == name)!.AsObject();
        change(function);
        return functions.ToJsonString(_indented);
    });

    /// <summary>A copy whose <c>functions.metadata</c> has one binding of the function <paramref name="name"/> changed in place.</summary>
    public InfraDocuments ChangeBinding(string name, string binding, Action<JsonObject> change) => ChangeFunction(name, function =>
        change(Assert.Single(function["bindings"]!.AsArray(), b => (string?)b!["name"] == binding)!.AsObject()));

    /// <summary>A copy with a function renamed in <c>functions.metadata</c>, as another <c>[Function]</c> name would.</summary>
    public InfraDocuments Move(string from, string to) => ChangeFunction(from, function => function["name"] = to);

    /// <summary>The one Bicep file whose text contains <paramref name="marker"/>.</summary>
    public string BicepFileWith(string marker) => Assert.Single(Bicep, f => f.Value.Contains(marker, StringComparison.Ordinal)).Key;
}
