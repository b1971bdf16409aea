namespace Compliance.Emulator;

/// <summary>
/// An <c>installPatches</c> POST the emulator received, whatever its answer was.
/// </summary>
/// <param name="ResourceId">The virtual machine's ARM id (canonical spelling when the machine exists).</param>
/// <param name="RebootSetting">The body's <c>rebootSetting</c>; <see langword="null"/> when absent or the body did not parse.</param>
/// <param name="MaximumDuration">The body's <c>maximumDuration</c> as sent (an ISO 8601 duration), when present.</param>
/// <param name="WindowsClassifications"><c>windowsParameters.classificationsToInclude</c>; <see langword="null"/> without <c>windowsParameters</c>.</param>
/// <param name="LinuxClassifications"><c>linuxParameters.classificationsToInclude</c>; <see langword="null"/> without <c>linuxParameters</c>.</param>
/// <param name="At">When it was received, by the emulator's clock.</param>
/// <param name="Body">The body exactly as received (UTF-8): it holds no secret, and tests read fields the emulator does not.</param>
public sealed record RecordedInstallPatches(
    string ResourceId,
    string? RebootSetting,
    string? MaximumDuration,
    IReadOnlyList<string>? WindowsClassifications,
    IReadOnlyList<string>? LinuxClassifications,
    DateTimeOffset At,
    string Body);
