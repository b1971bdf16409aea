using Compliance.Core.Inventory;

namespace Compliance.Core.Rules;

/// <summary>
/// <c>KVA_SHADOWING_UNVERIFIED</c>: a Cloud Service marked as running untrusted code on a Guest OS family before 6.
/// There KVA shadow is off by default and only a startup task setting the KB4072698 registry values turns it on, which
/// ARM cannot see. Families 6 and later have it on by default.
/// </summary>
public sealed class KvaShadowingUnverifiedRule : IComplianceRule
{
    /// <summary>The first Guest OS family with KVA shadow on by default (Windows Server 2019).</summary>
    public const int FirstFamilyWithKvaShadowByDefault = 6;

    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CloudService is not { } service
            || !context.Untrusted.IsUntrusted
            || CloudServiceConfiguration.Parse(service.Configuration).Configuration is not { Family: { } family } configuration
            || family >= FirstFamilyWithKvaShadowByDefault)
        {
            yield break;
        }

        var message =
            $"This Cloud Service runs untrusted code ({context.Untrusted.Reasons}) on Guest OS family {family} ({Guidance.GuestOsFamilyName(family)}), " +
            "where Kernel VA Shadowing is off by default and only a startup task can turn it on; ARM cannot show whether that task exists. " +
            $"Verify a startup task sets the values of {Guidance.ServerKb}, or move to Guest OS family 6 or later, where it is on by default ({Guidance.Azure}).";

        yield return new Finding(
            FindingCode.KvaShadowingUnverified,
            Severity.Medium,
            message,
            Evidence.Of(
                ("osFamily", configuration.OsFamilyAttribute),
                ("osVersion", configuration.OsVersionAttribute),
                ("family", family),
                ("untrustedCode", Evidence.Untrusted(context.Untrusted))),
            RemediationAction.KvaShadowing);
    }
}
