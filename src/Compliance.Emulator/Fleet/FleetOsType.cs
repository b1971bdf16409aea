namespace Compliance.Emulator;

/// <summary>
/// The operating system family of an emulated machine.
/// </summary>
public enum FleetOsType
{
    /// <summary>Windows (<c>Windows</c>): Run Command accepts <c>RunPowerShellScript</c>.</summary>
    Windows,

    /// <summary>Linux (<c>Linux</c>): Run Command accepts <c>RunShellScript</c>.</summary>
    Linux,
}
