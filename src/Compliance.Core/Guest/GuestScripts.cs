using Compliance.Core.Inventory;

namespace Compliance.Core.Guest;

/// <summary>The embedded guest scripts, loaded once.</summary>
public static class GuestScripts
{
    private static readonly Lazy<GuestScript> _windows = new(() => Load(OsType.Windows, "RunPowerShellScript", "windows-guest-check.ps1"));
    private static readonly Lazy<GuestScript> _linux = new(() => Load(OsType.Linux, "RunShellScript", "linux-guest-check.sh"));

    /// <summary>The Windows PowerShell script (Windows PowerShell 2.0 and later).</summary>
    public static GuestScript Windows => _windows.Value;

    /// <summary>The POSIX <c>sh</c> script.</summary>
    public static GuestScript Linux => _linux.Value;

    /// <summary>The script for <paramref name="os"/>.</summary>
    public static GuestScript For(OsType os) => os switch
    {
        OsType.Windows => Windows,
        OsType.Linux => Linux,
        _ => throw new ArgumentOutOfRangeException(nameof(os), os, "No guest script for this OS."),
    };

    private static GuestScript Load(OsType os, string commandId, string fileName)
    {
        var name = $"Compliance.Core.Guest.Scripts.{fileName}";
        using var stream = typeof(GuestScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The guest script resource '{name}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return new GuestScript(os, commandId, reader.ReadToEnd());
    }
}
