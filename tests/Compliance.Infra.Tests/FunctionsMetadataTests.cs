namespace Compliance.Infra.Tests;

/// <summary>The function definitions are found in the newest build of the app, or the test says what to build.</summary>
public sealed class FunctionsMetadataTests
{
    [Fact]
    public void Locate_NoBuild_FailsAskingForOne()
    {
        var root = Directory.CreateTempSubdirectory("compliance-metadata-");
        try
        {
            var failure = Assert.Throws<Xunit.Sdk.FailException>(() => FunctionsMetadata.Locate(root.FullName));

            Assert.Contains("build src/Compliance.Functions first", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("Debug", "Release")]
    [InlineData("Release", "Debug")]
    public void Locate_DebugAndReleaseBuilds_TakesTheNewest(string older, string newer)
    {
        var root = Directory.CreateTempSubdirectory("compliance-metadata-");
        try
        {
            string Write(string configuration, DateTime written)
            {
                var folder = Directory.CreateDirectory(Path.Combine(root.FullName, "src", "Compliance.Functions", "bin", configuration, "net10.0"));
                var file = Path.Combine(folder.FullName, FunctionsMetadata.FileName);
                File.WriteAllText(file, "[]");
                File.SetLastWriteTimeUtc(file, written);
                return file;
            }

            Write(older, DateTime.UtcNow.AddHours(-1));
            var expected = Write(newer, DateTime.UtcNow);

            Assert.Equal(expected, FunctionsMetadata.Locate(root.FullName));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Fixture_ReadsEveryFunctionWithOneTrigger()
    {
        var functions = FunctionDefinition.ReadAll(File.ReadAllText(FunctionsMetadata.Fixture));

        Assert.Equal(
            ["CheckMachines", "ComplianceCsv", "Dashboard", "GetCompliance", "GetScan", "Health", "ListCompliance", "ListScans", "ResourceChanged", "ScheduledScan", "StartScan", "Summary"],
            functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(functions, f => Assert.Single(f.Triggers));
        Assert.All(functions, f => Assert.Equal("dotnet-isolated", f.Language));
        Assert.Equal("%Compliance__Events__QueueName%", Assert.Single(functions, f => f.Name == "ResourceChanged").Triggers.Single().QueueName);
        Assert.Equal("%Compliance__Scan__Schedule%", Assert.Single(functions, f => f.Name == "ScheduledScan").Triggers.Single().Properties["schedule"]);
    }
}
