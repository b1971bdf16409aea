namespace Compliance.Infra.Tests;

/// <summary>
/// Where the function definitions come from: the <c>functions.metadata</c> document the isolated worker's build writes
/// next to the app's assembly, or the copy checked in beside these tests.
/// </summary>
internal static class FunctionsMetadata
{
    public const string FileName = "functions.metadata";

    private const string TargetFramework = "net10.0";

    /// <summary>The checked-in copy: what the build is expected to write, and what the mutation tests change.</summary>
    public static string Fixture => RepositoryFiles.PathOf("tests", "Compliance.Infra.Tests", "TestData", FileName);

    /// <summary>
    /// The document the repository's consistency checks read: the fixture while the app's build writes none (a custom
    /// handler's does not), <see cref="Locate()"/> once it does.
    /// </summary>
    public static string Current => Fixture;

    /// <summary>The document of the newest build of <c>src/Compliance.Functions</c>, Debug or Release; fails the test without one.</summary>
    public static string Locate() => Locate(RepositoryFiles.Root);

    public static string Locate(string root)
    {
        var candidates = new[] { "Debug", "Release" }
            .Select(configuration => new FileInfo(Path.Combine(root, "src", "Compliance.Functions", "bin", configuration, TargetFramework, FileName)))
            .Where(file => file.Exists)
            .OrderByDescending(file => file.LastWriteTimeUtc)
            .ToList();
        if (candidates.Count == 0)
        {
            Assert.Fail($"No {FileName} in src/Compliance.Functions/bin/{{Debug|Release}}/{TargetFramework}/: build src/Compliance.Functions first (dotnet build src/Compliance.Functions).");
        }

        return candidates[0].FullName;
    }
}
