namespace Compliance.Core.Guest;

/// <summary>The first processor from <c>Win32_Processor</c>.</summary>
/// <param name="Manufacturer">"GenuineIntel", "AuthenticAMD", or another vendor string.</param>
/// <param name="Description">For example "Intel64 Family 6 Model 85 Stepping 4".</param>
public sealed record CpuInfo(string? Manufacturer, string? Description)
{
    /// <summary>The Intel vendor string.</summary>
    public const string Intel = "GenuineIntel";

    /// <summary>The AMD vendor string.</summary>
    public const string Amd = "AuthenticAMD";
}
