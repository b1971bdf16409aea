using Compliance.Core.Inventory;

namespace Compliance.Core.Rules;

/// <summary>
/// <c>CLOUD_SERVICE_GUEST_OS_OUTDATED</c>: a Cloud Service pins (<c>osVersion</c> not <c>*</c>) a Guest OS whose
/// patch month is before 2018-01. Automatic upgrade (<c>*</c> or no <c>osVersion</c>) follows the newest release and
/// is compliant; families 6 and later postdate 2018.
/// </summary>
public sealed class CloudServiceGuestOsOutdatedRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CloudService is not { } service
            || CloudServiceConfiguration.Parse(service.Configuration).Configuration is not { } configuration
            || configuration.PinnedVersion is not { } pinned
            || pinned.PatchMonth >= GuestOsVersion.January2018)
        {
            yield break;
        }

        var family = configuration.Family ?? pinned.Family;
        var pinnedText = configuration.OsVersionAttribute?.Trim() ?? string.Empty;
        var current = service.Catalogue
            .Where(r => r.IsDefault && r.Family == family.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(r => r.Version)
            .FirstOrDefault();
        var suggestion = current is null ? string.Empty : $" (the current release of family {family} is {current})";
        var message =
            $"The Cloud Service pins Guest OS {pinnedText}, whose patch month {pinned.PatchMonthText} predates the January 2018 mitigations. " +
            $"Set osVersion=\"*\" for automatic Guest OS updates, or pin a current release of family {family}{suggestion}; " +
            $"the first releases with the mitigations were {Guidance.January2018GuestOsReleases} ({Guidance.Azure}).";

        yield return new Finding(
            FindingCode.CloudServiceGuestOsOutdated,
            Severity.High,
            message,
            Evidence.Of(
                ("osFamily", configuration.OsFamilyAttribute),
                ("osVersion", configuration.OsVersionAttribute),
                ("patchMonth", pinned.PatchMonth),
                ("inCatalogue", service.Catalogue.Count == 0 ? null : service.Catalogue.Any(r => string.Equals(r.Version, pinnedText, StringComparison.OrdinalIgnoreCase))),
                ("currentRelease", current)),
            RemediationAction.GuestUpdate);
    }
}
