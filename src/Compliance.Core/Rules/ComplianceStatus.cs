namespace Compliance.Core.Rules;

/// <summary>A resource's overall verdict (the fixed verdict contract).</summary>
public enum ComplianceStatus
{
    /// <summary>Checked, and nothing to do.</summary>
    Compliant,

    /// <summary>At least one remediation action is needed.</summary>
    ActionRequired,

    /// <summary>The guest could not be checked and no action is proven.</summary>
    Unknown,

    /// <summary>An accepted exception with a justification and an expiry.</summary>
    Exempt,
}
