namespace Compliance.Core.Remediation;

/// <summary>
/// What a <c>GuestUpdate</c> remediation asks Azure to install: the Security and Critical classifications, within
/// <paramref name="MaximumDuration"/>, restarting as <paramref name="RebootSetting"/> says.
/// </summary>
/// <param name="MaximumDuration">Azure's <c>maximumDuration</c> (an ISO 8601 duration on the wire).</param>
/// <param name="RebootSetting">Azure's <c>rebootSetting</c>.</param>
public sealed record PatchInstallation(TimeSpan MaximumDuration, RebootSetting RebootSetting)
{
    /// <summary>The classifications installed, on Windows and Linux alike.</summary>
    public static IReadOnlyList<string> Classifications { get; } = ["Security", "Critical"];
}
