namespace Compliance.Core.Remediation;

/// <summary>Why a remediation request was refused; the API answers each with its own status.</summary>
public enum RemediationRefusalKind
{
    /// <summary>Remediation is off (403).</summary>
    Off,

    /// <summary>The request is not valid (400).</summary>
    Invalid,

    /// <summary>No such plan (404).</summary>
    NotFound,

    /// <summary>The plan's state does not allow it, or nothing is left to remediate (409).</summary>
    Conflict,

    /// <summary>The caller may not do this to this plan (403): the author approving their own plan when a different approver is required.</summary>
    Forbidden,
}
