namespace Compliance.Core.Remediation;

/// <summary>Whether a remediation may restart the machine (Azure's <c>rebootSetting</c> of <c>installPatches</c>).</summary>
public enum RebootSetting
{
    /// <summary>Restart when the change needs it.</summary>
    IfRequired,

    /// <summary>Never restart: a change that needs one leaves the machine waiting for it ("reboot pending").</summary>
    Never,
}
