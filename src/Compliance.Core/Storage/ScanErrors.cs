using Compliance.Core.Reporting;

namespace Compliance.Core.Storage;

/// <summary>
/// Keeps a scan's error list within what one stored record can hold, whatever went wrong: a scan of 2,000 unknown
/// subscriptions has 2,000 errors, and a resource id can be a thousand characters long. The record keeps the first
/// <see cref="MaxKept"/> errors, each cut to a bounded length, and counts them all.
/// </summary>
public static class ScanErrors
{
    /// <summary>The errors a scan record keeps.</summary>
    public const int MaxKept = 100;

    /// <summary>The longest scope kept, in characters.</summary>
    public const int MaxScopeLength = 300;

    /// <summary>The longest message kept, in characters.</summary>
    public const int MaxMessageLength = 500;

    /// <summary>The first <see cref="MaxKept"/> of <paramref name="errors"/>, each cut to size.</summary>
    public static IReadOnlyList<ReportError> Bound(IEnumerable<ReportError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Take(MaxKept).Select(Cut).ToList();
    }

    /// <summary><paramref name="error"/> with its scope and message cut to size.</summary>
    public static ReportError Cut(ReportError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ReportError(Cut(error.Scope, MaxScopeLength), Cut(error.Message, MaxMessageLength));
    }

    private static string Cut(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}
