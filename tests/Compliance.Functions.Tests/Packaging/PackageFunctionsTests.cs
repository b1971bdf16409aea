using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace Compliance.Functions.Tests.Packaging;

/// <summary>
/// The deployable zip that <c>tools/package-functions.sh</c> builds: the isolated worker's layout at its root, as the
/// <c>dotnet-isolated</c> runtime loads it, with the functions the build generated and the host's settings.
/// </summary>
public sealed class PackageFunctionsTests
{
    [Fact]
    public async Task Package_Zip_IsolatedWorkerLayout()
    {
        var folder = Directory.CreateTempSubdirectory("compliance-package-");
        try
        {
            var zipPath = Path.Combine(folder.FullName, "functions.zip");
            await RunPackagingAsync(zipPath);
            using var zip = ZipFile.OpenRead(zipPath);
            var entries = zip.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);

            Assert.Contains("Compliance.Functions.dll", entries.Keys);
            Assert.Contains(entries.Keys, k => k.StartsWith(".azurefunctions/", StringComparison.Ordinal) && k.EndsWith(".dll", StringComparison.Ordinal));
            Assert.DoesNotContain(entries.Keys, k => k.EndsWith("function.json", StringComparison.Ordinal) || k.StartsWith("local.settings", StringComparison.Ordinal));

            using var worker = JsonDocument.Parse(Read(entries["worker.config.json"]));
            var description = worker.RootElement.GetProperty("description");
            Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
            Assert.Equal("Compliance.Functions.dll", Path.GetFileName(description.GetProperty("defaultWorkerPath").GetString()));

            // The host.json of the source, as is: no custom handler, no extension bundle (the worker brings its extensions).
            Assert.Equal(File.ReadAllText(RepositoryFiles.PathOf("src", "Compliance.Functions", "host.json")), Read(entries["host.json"]));

            var functions = FunctionsMetadata.Parse(Read(entries["functions.metadata"]));
            Assert.Equal(FunctionsMetadata.Load().Functions.Select(f => f.Name).Order(), functions.Functions.Select(f => f.Name).Order());
            Assert.All(functions.Functions, f => Assert.Equal("Compliance.Functions.dll", f.ScriptFile));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private static async Task RunPackagingAsync(string zipPath)
    {
        var start = new ProcessStartInfo("bash", [RepositoryFiles.PathOf("tools", "package-functions.sh"), zipPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryFiles.Root,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"package-functions.sh failed ({process.ExitCode}):\n{await output}\n{await error}");
        Assert.True(File.Exists(zipPath), await output);
    }
}
