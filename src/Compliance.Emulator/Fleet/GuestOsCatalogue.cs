using System.Text.RegularExpressions;

namespace Compliance.Emulator;

/// <summary>
/// The Guest OS releases served when the fleet gives none: a snapshot of real release strings,
/// the newest of each family being the default and the only active one.
/// </summary>
internal static partial class GuestOsCatalogue
{
    private static readonly (string Family, string[] Releases)[] _snapshot =
    [
        ("2", ["2.69_201712-01", "2.70_201801-01", "2.94_202001-01", "2.95_202002-01"]),
        ("3", ["3.56_201712-01", "3.57_201801-01", "3.81_202001-01", "3.82_202002-01"]),
        ("4", ["4.49_201712-01", "4.50_201801-01", "4.74_202001-01", "4.75_202002-01"]),
        ("5", ["5.14_201712-01", "5.15_201801-01", "5.39_202001-01", "5.40_202002-01"]),
        ("6", ["6.1_201811-01", "6.15_202001-01", "6.16_202001-01"]),
        ("7", ["7.5_202111-01"]),
    ];

    /// <summary>The built-in catalogue, family by family, oldest release first.</summary>
    public static IReadOnlyList<FleetOsVersion> BuiltIn { get; } = Build();

    /// <summary>The catalogue a fleet serves, labels filled in where the fleet left them out.</summary>
    public static IReadOnlyList<FleetOsVersion> For(FleetDocument fleet) =>
        fleet.CloudServiceOsVersions is { } versions
            ? versions.Select(v => v with { Label = v.Label ?? LabelOf(v.Version), FamilyLabel = v.FamilyLabel ?? FamilyLabelOf(v.Family) }).ToList()
            : BuiltIn;

    /// <summary><c>WA-GUEST-OS-5.15_201801-01</c> → <c>Windows Azure Guest OS 5.15 (Release 201801-01)</c>.</summary>
    public static string LabelOf(string version)
    {
        var match = ReleasePattern().Match(version);
        return match.Success ? $"Windows Azure Guest OS {match.Groups[1].Value} (Release {match.Groups[2].Value})" : version;
    }

    /// <summary>The Windows Server release a Guest OS family is built on.</summary>
    public static string FamilyLabelOf(string family) => family switch
    {
        "2" => "Windows Server 2008 R2 SP1",
        "3" => "Windows Server 2012",
        "4" => "Windows Server 2012 R2",
        "5" => "Windows Server 2016",
        "6" => "Windows Server 2019",
        "7" => "Windows Server 2022",
        _ => $"Guest OS family {family}",
    };

    private static List<FleetOsVersion> Build()
    {
        var catalogue = new List<FleetOsVersion>();
        foreach (var (family, releases) in _snapshot)
        {
            for (var i = 0; i < releases.Length; i++)
            {
                var version = $"WA-GUEST-OS-{releases[i]}";
                var newest = i == releases.Length - 1;
                catalogue.Add(new FleetOsVersion
                {
                    Version = version,
                    Family = family,
                    IsDefault = newest,
                    IsActive = newest,
                    Label = LabelOf(version),
                    FamilyLabel = FamilyLabelOf(family),
                });
            }
        }

        return catalogue;
    }

    [GeneratedRegex(@"^WA-GUEST-OS-(\d+\.\d+)_(\d{6}-\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ReleasePattern();
}
