namespace Compliance.Core.Guest;

/// <summary>The distribution from <c>/etc/os-release</c>.</summary>
public sealed record LinuxDistro(string? Id, string? VersionId, string? PrettyName);
