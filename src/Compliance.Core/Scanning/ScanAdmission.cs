namespace Compliance.Core.Scanning;

/// <summary>The answer of <see cref="ScanStartGate.AdmitAsync"/>.</summary>
/// <param name="Kind">Whether the scan may start, and if not, why.</param>
/// <param name="Request">The request to plan when admitted: its scan id and start time are those of the opened record.</param>
public sealed record ScanAdmission(ScanAdmissionKind Kind, ScanRequest Request)
{
    /// <summary>The running scan, when <see cref="Kind"/> is <see cref="ScanAdmissionKind.Running"/> and its record is readable yet.</summary>
    public string? RunningScanId { get; init; }

    /// <summary>When a start on request is allowed again, for <see cref="ScanAdmissionKind.TooManyStarts"/>.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>The requested subscriptions outside the scope, for <see cref="ScanAdmissionKind.OutOfScope"/>.</summary>
    public IReadOnlyList<string> OutOfScope { get; init; } = [];
}
