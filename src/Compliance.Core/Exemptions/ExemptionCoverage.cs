using Compliance.Core.Reporting;
using Compliance.Core.Rules;

namespace Compliance.Core.Exemptions;

/// <summary>
/// Applies exemptions to a verdict. An action is covered by an unexpired exemption whose scope holds the resource when
/// the exemption lists the action, or lists the code of every finding that calls for the action. An
/// <c>ActionRequired</c> verdict whose every action is covered becomes <c>Exempt</c>, keeping its actions, findings and
/// evidence; <c>Compliant</c> and <c>Unknown</c> verdicts stay as they are (an exemption never makes an unchecked
/// machine look settled). A finding stored before findings recorded their action leads to no action, so such a
/// verdict is covered by actions only until its next check.
/// </summary>
public static class ExemptionCoverage
{
    /// <summary>The verdict without any exemption: an <c>Exempt</c> one with its underlying status.</summary>
    public static ReportResource Underlying(ReportResource verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Exemption is { } exemption ? verdict with { Status = exemption.UnderlyingStatus, Exemption = null } : verdict;
    }

    /// <summary>
    /// The verdict as a read at <paramref name="now"/> shows it: an <c>Exempt</c> one whose exemption has expired meanwhile
    /// (before a sweep re-applied its scope) with its underlying status, so nothing shows <c>Exempt</c> past expiry.
    /// </summary>
    public static ReportResource AsOf(ReportResource verdict, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.Exemption?.ExpiresOn is { } expires && expires <= now ? Underlying(verdict) : verdict;
    }

    /// <summary>
    /// <paramref name="verdict"/>'s underlying verdict with <paramref name="exemptions"/> applied at <paramref name="now"/>.
    /// When several cover, the one whose expiry ends the exemption is named: per action the exemption that covers it
    /// longest, and of those the one that expires first (ties: the lowest id).
    /// </summary>
    public static ReportResource Apply(ReportResource verdict, IEnumerable<Exemption> exemptions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(exemptions);
        var underlying = Underlying(verdict);
        if (underlying.Status != nameof(ComplianceStatus.ActionRequired) || underlying.Actions.Count == 0)
        {
            return underlying;
        }

        var applicable = exemptions.Where(e => e.IsActiveAt(now) && ExemptionScope.Contains(e.Scope, underlying.Id)).ToList();
        if (applicable.Count == 0)
        {
            return underlying;
        }

        // Per action, the exemption that covers it longest; the verdict stays Exempt until the first of those expires,
        // so that one is named and its expiresOn is when the verdict stops being Exempt.
        Exemption? named = null;
        foreach (var action in underlying.Actions)
        {
            var longest = applicable
                .Where(e => Covers(e, underlying, action))
                .OrderByDescending(e => e.ExpiresOn ?? DateTimeOffset.MaxValue)
                .ThenBy(e => e.Id, StringComparer.Ordinal)
                .FirstOrDefault();
            if (longest is null)
            {
                return underlying;
            }

            var (ends, namedEnds) = (longest.ExpiresOn ?? DateTimeOffset.MaxValue, named?.ExpiresOn ?? DateTimeOffset.MaxValue);
            if (named is null || ends < namedEnds || (ends == namedEnds && string.CompareOrdinal(longest.Id, named.Id) < 0))
            {
                named = longest;
            }
        }

        return underlying with
        {
            Status = nameof(ComplianceStatus.Exempt),
            Exemption = new ReportExemption(
                named!.Id,
                named.Category.ToString(),
                named.Justification,
                named.ExpiresOn,
                named.CreatedBy,
                named.CreatedAt,
                underlying.Status),
        };
    }

    /// <summary>Whether <paramref name="exemption"/> covers <paramref name="action"/> of <paramref name="verdict"/> (scope and expiry aside).</summary>
    public static bool Covers(Exemption exemption, ReportResource verdict, string action)
    {
        ArgumentNullException.ThrowIfNull(exemption);
        ArgumentNullException.ThrowIfNull(verdict);
        if (exemption.Actions.Contains(action, StringComparer.Ordinal))
        {
            return true;
        }

        var leading = verdict.Findings.Where(f => string.Equals(f.Action, action, StringComparison.Ordinal)).ToList();
        return leading.Count > 0 && leading.All(f => exemption.FindingCodes.Contains(f.Code, StringComparer.Ordinal));
    }
}
