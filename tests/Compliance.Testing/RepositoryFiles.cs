namespace Compliance.Testing;

/// <summary>Files of the repository the tests read: scripts, settings, definitions, documents, the sample fleet.</summary>
public static class RepositoryFiles
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds <c>Compliance.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The sample fleet, <c>samples/fleet.json</c>.</summary>
    public static string SampleFleet => PathOf("samples", "fleet.json");

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
