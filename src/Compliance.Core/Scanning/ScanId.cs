using System.Globalization;
using System.Security.Cryptography;

namespace Compliance.Core.Scanning;

/// <summary>Scan ids: the UTC start time, so they sort by time, plus random hex, so they never collide.</summary>
public static class ScanId
{
    /// <summary>Creates an id like <c>20260121T101500Z-9f2c41d7</c>.</summary>
    public static string Create(DateTimeOffset startedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{startedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}");
}
