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

    /// <summary>
    /// <c>Win32_Processor.Architecture</c> (0 x86, 5 ARM, 9 x64, 12 ARM64); <c>null</c> when the report does not say
    /// (older scripts).
    /// </summary>
    public uint? Architecture { get; init; }

    /// <summary>Whether the processor is an Arm one (architecture 5 or 12).</summary>
    public bool IsArm => Architecture is 5 or 12;
}
