namespace Compliance.Reliability.Tests;

/// <summary>The repository's root: the nearest folder above the test binaries that holds <c>Compliance.sln</c>.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Compliance.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Compliance.sln above {AppContext.BaseDirectory}.");
    }
}
