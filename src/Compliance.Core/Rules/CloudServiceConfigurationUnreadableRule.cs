using Compliance.Core.Inventory;

namespace Compliance.Core.Rules;

/// <summary>
/// <c>CHECK_FAILED</c> for a Cloud Service whose Guest OS cannot be determined: no configuration, XML that does not
/// parse, an <c>osFamily</c> that is not a number, or a pinned <c>osVersion</c> that is not a Guest OS configuration
/// string. Without it such a service would look compliant.
/// </summary>
public sealed class CloudServiceConfigurationUnreadableRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CloudService is not { } service)
        {
            yield break;
        }

        var (configuration, error) = CloudServiceConfiguration.Parse(service.Configuration);
        if (configuration is not null)
        {
            if (configuration.Family is null)
            {
                error = $"osFamily \"{configuration.OsFamilyAttribute}\" is not a Guest OS family number";
            }
            else if (!configuration.IsAutomaticUpgrade && configuration.PinnedVersion is null)
            {
                error = $"osVersion \"{configuration.OsVersionAttribute}\" is not a Guest OS configuration string (WA-GUEST-OS-F.V_YYYYMM-RR)";
            }
        }

        if (error is null)
        {
            yield break;
        }

        yield return new Finding(
            FindingCode.CheckFailed,
            Severity.Low,
            $"The Cloud Service's Guest OS could not be determined: {error}.",
            Evidence.Of(
                ("osFamily", configuration?.OsFamilyAttribute),
                ("osVersion", configuration?.OsVersionAttribute),
                ("configurationLength", service.Configuration?.Length)));
    }
}
