using Compliance.Core.Exemptions;

namespace Compliance.Server.Api;

/// <summary>One change of an exemption as the API shows it.</summary>
/// <param name="At">When.</param>
/// <param name="Change"><c>Created</c>, <c>Updated</c>, <c>Removed</c> or <c>Expired</c>.</param>
/// <param name="By">Who (<c>system</c> for an expiry).</param>
/// <param name="Exemption">The exemption as it was after the change (before it, for a removal).</param>
public sealed record ExemptionHistoryView(DateTimeOffset At, string Change, string By, ExemptionView Exemption)
{
    /// <summary>The view of <paramref name="entry"/>.</summary>
    public static ExemptionHistoryView Of(ExemptionHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.At, entry.Change.ToString(), entry.By, ExemptionView.Of(entry.Exemption));
    }
}
