using System.ComponentModel.DataAnnotations;

namespace Compliance.Core.Scanning;

/// <summary>Settings of a scan (section <c>Compliance:Scan</c>).</summary>
public sealed class ScanOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Scan";

    /// <summary>How many machines are checked at the same time.</summary>
    /// <value>Default: 16.</value>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 16;
}
