using System.Text.Json;

namespace Compliance.Testing;

/// <summary>
/// The <c>functions.metadata</c> the worker SDK generates when <c>src/Compliance.Functions</c> is built: every function
/// with its bindings, as the host indexes them. Read from the build of the tests' own configuration.
/// </summary>
public sealed record FunctionsMetadata(IReadOnlyList<FunctionEntry> Functions)
{
    /// <summary>The file's name.</summary>
    public const string FileName = "functions.metadata";

    /// <summary>The generated file of the Functions app's build (Debug or Release, as the tests were built).</summary>
    public static string PathOf()
    {
        // The tests run from .../bin/{Configuration}/{TargetFramework}/.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = RepositoryFiles.PathOf("src", "Compliance.Functions", "bin", configuration, "net10.0", FileName);
        Assert.True(File.Exists(path), $"No {path}: build src/Compliance.Functions ({configuration}) first.");
        return path;
    }

    public static FunctionsMetadata Load() => Parse(File.ReadAllText(PathOf()));

    public static FunctionsMetadata Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new FunctionsMetadata([.. document.RootElement.EnumerateArray().Select(FunctionEntry.Read)]);
    }

    public FunctionEntry this[string name] => Assert.Single(Functions, f => f.Name == name);
}
