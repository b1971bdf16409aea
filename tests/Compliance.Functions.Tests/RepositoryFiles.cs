namespace Compliance.Functions.Tests;

/// <summary>Files of the repository the tests read (the packaging script, the sample settings, the function definitions).</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds <c>Compliance.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Compliance.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Compliance.sln above {AppContext.BaseDirectory}.");
    }
}
