using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Compliance.Core.Inventory;

/// <summary>
/// A pinned Cloud Services Guest OS configuration string, <c>WA-GUEST-OS-F.V_YYYYMM-RR</c>: family, version, the
/// month of the MSRC patches it considered, and the re-release counter (Guest OS update matrix).
/// </summary>
public sealed partial record GuestOsVersion(int Family, int Version, int PatchMonth, int Release)
{
    /// <summary>The patch month of the first releases with the January 2018 mitigations.</summary>
    public const int January2018 = 201801;

    /// <summary>The patch month as <c>yyyy-MM</c>.</summary>
    public string PatchMonthText => string.Create(CultureInfo.InvariantCulture, $"{PatchMonth / 100:D4}-{PatchMonth % 100:D2}");

    /// <summary>Parses a configuration string; <c>false</c> when it does not have the documented shape.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out GuestOsVersion? version)
    {
        version = null;
        if (text is null)
        {
            return false;
        }

        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var month = int.Parse(match.Groups["month"].ValueSpan, CultureInfo.InvariantCulture);
        if (month % 100 is < 1 or > 12)
        {
            return false;
        }

        version = new GuestOsVersion(
            int.Parse(match.Groups["family"].ValueSpan, CultureInfo.InvariantCulture),
            int.Parse(match.Groups["version"].ValueSpan, CultureInfo.InvariantCulture),
            month,
            int.Parse(match.Groups["release"].ValueSpan, CultureInfo.InvariantCulture));
        return true;
    }

    [GeneratedRegex(@"^WA-GUEST-OS-(?<family>\d{1,3})\.(?<version>\d{1,5})_(?<month>\d{6})-(?<release>\d{1,3})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}
