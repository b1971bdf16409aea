
namespace Compliance.Infra.Tests;

/// <summary>
/// The text of every file the consistency checks read, by repository-relative path: the Bicep files, the sample
/// settings and the function definitions. Immutable, so a test can check a mutated copy.
/// </summary>
internal sealed record InfraDocuments(IReadOnlyDictionary<string, string> Files)
{
    public const string LocalSettings = "local.settings.sample.json";
    public const string FunctionsFolder = "src/Compliance.Functions/Functions/";

    public static InfraDocuments Load()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(string path) => files[Path.GetRelativePath(RepositoryFiles.Root, path).Replace('\\', '/')] = File.ReadAllText(path);

        foreach (var bicep in Directory.EnumerateFiles(RepositoryFiles.PathOf("infra"), "*.bicep", SearchOption.AllDirectories))
        {
            Add(bicep);
        }

        foreach (var definition in Directory.EnumerateFiles(RepositoryFiles.PathOf("src", "Compliance.Functions", "Functions"), "function.json", SearchOption.AllDirectories))
        {
            Add(definition);
        }

        Add(RepositoryFiles.PathOf(LocalSettings));
        return new InfraDocuments(files);
    }

    public IEnumerable<KeyValuePair<string, string>> Bicep => Files.Where(f => f.Key.EndsWith(".bicep", StringComparison.Ordinal));

    public IEnumerable<KeyValuePair<string, string>> FunctionDefinitions => Files.Where(f => f.Key.StartsWith(FunctionsFolder, StringComparison.Ordinal));

    /// <summary>A copy with one file's text changed by <paramref name="change"/>; fails the test when nothing changed.</summary>
    public InfraDocuments Change(string path, Func<string, string> change)
    {
        var before = Files[path];
        var after = change(before);
        Assert.NotEqual(before, after);
        return new InfraDocuments(new SortedDictionary<string, string>(Files.ToDictionary(), StringComparer.Ordinal) { [path] = after });
    }

    /// <summary>A copy with a file moved (a function folder renamed).</summary>
    public InfraDocuments Move(string from, string to)
    {
        var files = new SortedDictionary<string, string>(Files.ToDictionary(), StringComparer.Ordinal);
        Assert.True(files.Remove(from, out var text), $"No {from}.");
        files[to] = text;
        return new InfraDocuments(files);
    }

    /// <summary>The one Bicep file whose text contains <paramref name="marker"/>.</summary>
    public string BicepFileWith(string marker) => Assert.Single(Bicep, f => f.Value.Contains(marker, StringComparison.Ordinal)).Key;
}
