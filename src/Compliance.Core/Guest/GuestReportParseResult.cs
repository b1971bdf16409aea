using System.Diagnostics.CodeAnalysis;

namespace Compliance.Core.Guest;

/// <summary>The outcome of parsing a guest's output: a report, or why there is none.</summary>
public sealed record GuestReportParseResult
{
    private GuestReportParseResult(GuestReport? report, string? error)
    {
        Report = report;
        Error = error;
    }

    /// <summary>The report, when the output held a readable one.</summary>
    public GuestReport? Report { get; }

    /// <summary>Why the output is unreadable, when it is.</summary>
    public string? Error { get; }

    /// <summary>Whether a report was read.</summary>
    [MemberNotNullWhen(true, nameof(Report))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Report is not null;

    internal static GuestReportParseResult Parsed(GuestReport report) => new(report, null);

    internal static GuestReportParseResult Unreadable(string error) => new(null, error);
}
