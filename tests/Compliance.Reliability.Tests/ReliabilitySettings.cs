using System.Globalization;

namespace Compliance.Reliability.Tests;

/// <summary>
/// The size of the run. The CI run is short; the soak run (<c>bash tools/soak.sh</c>, <c>COMPLIANCE_SOAK=1</c>) uses a
/// larger fleet, more scans under each fault and several seeds, and writes its table beside the CI one.
/// </summary>
internal static class ReliabilitySettings
{
    public static bool Soak { get; } = Environment.GetEnvironmentVariable("COMPLIANCE_SOAK") == "1";

    /// <summary>Machines in each fault case's fleet.</summary>
    public static int Machines { get; } = Number("COMPLIANCE_SOAK_MACHINES", Soak ? 160 : 24);

    /// <summary>Scans run while a fault lasts, before the one that must converge.</summary>
    public static int FaultyScans { get; } = Number("COMPLIANCE_SOAK_SCANS", Soak ? 4 : 1);

    /// <summary>The seeds of the injected faults: every fault case runs once per seed.</summary>
    public static IReadOnlyList<int> Seeds { get; } = Soak ? [1, 2, 3] : [1];

    /// <summary>Where the table goes: <c>artifacts/reliability</c>, or <c>artifacts/reliability-soak</c>.</summary>
    public static string OutputDirectory => Path.Combine(RepositoryFiles.Root, "artifacts", Soak ? "reliability-soak" : "reliability");

    /// <summary>
    /// The app's settings in every case: the SDK's retry waits short but real, small batches so that a scan has several,
    /// the sinks of <paramref name="receiver"/> when given, then <paramref name="extra"/>.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> App(LoopbackReceiver? receiver = null, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Compliance:Arm:RetryDelay"] = "00:00:00.050",
            ["Compliance:Arm:RunCommandConflictBackoff"] = "00:00:00.100",
            ["Compliance:Scan:BatchSize"] = "8",
        };
        foreach (var (key, value) in (receiver?.Settings ?? new Dictionary<string, string?>()).Concat(extra ?? new Dictionary<string, string?>()))
        {
            settings[key] = value;
        }

        return settings;
    }

    private static int Number(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
