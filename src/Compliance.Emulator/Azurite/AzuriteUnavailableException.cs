namespace Compliance.Emulator.Azurite;

/// <summary>
/// Azurite could not be started: Node.js or npm is missing, the install failed, or it did not answer in time. The message
/// says which, and carries Azurite's (or npm's) own output.
/// </summary>
public sealed class AzuriteUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AzuriteUnavailableException()
        : this("Azurite is unavailable.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public AzuriteUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AzuriteUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
