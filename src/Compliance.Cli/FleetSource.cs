using Compliance.Emulator;

namespace Compliance.Cli;

/// <summary>Where a fleet for the emulator comes from: a file, the built-in sample, or the generator.</summary>
internal static class FleetSource
{
    private const string SampleResource = "Compliance.Cli.Samples.fleet.json";

    /// <summary>Loads a fleet file; a missing or invalid file is a usage error.</summary>
    public static FleetDocument Load(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new UsageException($"the fleet file '{file.FullName}' does not exist.");
        }

        try
        {
            return FleetDocument.Load(file.FullName);
        }
        catch (FleetFormatException ex)
        {
            throw new UsageException(ex.Message);
        }
        catch (IOException ex)
        {
            throw new UsageException($"the fleet file '{file.FullName}' cannot be read: {ex.Message}");
        }
    }

    /// <summary>The sample fleet shipped inside the executable (the repository's <c>samples/fleet.json</c>).</summary>
    public static FleetDocument Sample()
    {
        using var stream = typeof(FleetSource).Assembly.GetManifestResourceStream(SampleResource)
            ?? throw new InvalidOperationException("The sample fleet is missing from the build.");
        using var reader = new StreamReader(stream);
        return FleetDocument.Parse(reader.ReadToEnd(), "samples/fleet.json");
    }
}
