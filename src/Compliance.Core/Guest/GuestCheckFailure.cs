namespace Compliance.Core.Guest;

/// <summary>Why a guest check produced no report, with the facts behind it.</summary>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Reason">A short human explanation (no guest-controlled control characters).</param>
/// <param name="Evidence">The raw facts: power state, ARM error code, HTTP status, and so on.</param>
public sealed record GuestCheckFailure(
    GuestCheckFailureKind Kind,
    string Reason,
    IReadOnlyDictionary<string, object?> Evidence)
{
    /// <summary>Creates a failure with no evidence beyond the reason.</summary>
    public static GuestCheckFailure Of(GuestCheckFailureKind kind, string reason) =>
        new(kind, reason, new Dictionary<string, object?>());
}
