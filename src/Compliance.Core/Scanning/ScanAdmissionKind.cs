namespace Compliance.Core.Scanning;

/// <summary>What <see cref="ScanStartGate"/> answered a request to start a scan.</summary>
public enum ScanAdmissionKind
{
    /// <summary>The scan may start: its record is open, and it is the one running scan.</summary>
    Admitted,

    /// <summary>Another scan is running (or being started): this one does not start.</summary>
    Running,

    /// <summary>Too many scans were started on request in the last hour.</summary>
    TooManyStarts,

    /// <summary>The request names subscriptions outside the configured scope.</summary>
    OutOfScope,
}
