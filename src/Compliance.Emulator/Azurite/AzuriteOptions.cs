namespace Compliance.Emulator.Azurite;

/// <summary>How <see cref="AzuriteProcess.StartAsync"/> runs Azurite's Table and Queue services.</summary>
public sealed class AzuriteOptions
{
    /// <summary>
    /// The folder holding Azurite's <c>package.json</c>; null finds <c>tools/azurite/package.json</c> walking up from the
    /// current directory, then from <see cref="AppContext.BaseDirectory"/>.
    /// </summary>
    public string? ToolsDirectory { get; set; }

    /// <summary>Run <c>npm ci</c> in <see cref="ToolsDirectory"/> when <c>node_modules/.bin/azurite</c> is missing.</summary>
    public bool InstallIfMissing { get; set; } = true;

    /// <summary>Where Azurite keeps its data (<c>--location</c>); null keeps it in memory (<c>--inMemoryPersistence</c>).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// The loopback ports to listen on; null picks free ones (Azurite cannot bind port 0 and report it, so ports are
    /// chosen first and others tried if one was taken in between). <see cref="AzuritePorts.Development"/> are the
    /// ports of <c>UseDevelopmentStorage=true</c>.
    /// </summary>
    public AzuritePorts? Ports { get; set; }

    /// <summary>Where Azurite's own output goes; null discards it (it still appears in start failures).</summary>
    public TextWriter? Log { get; set; }

    /// <summary>A PEM certificate to serve HTTPS with (<c>--cert</c>); needs <see cref="KeyPath"/>. Null serves HTTP.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/> (<c>--key</c>).</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// Accept bearer tokens (<c>--oauth basic</c>: Azurite checks a token's audience, issuer and lifetime, not its
    /// signature). Needs HTTPS.
    /// </summary>
    public bool OAuth { get; set; }
}
