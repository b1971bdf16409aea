namespace Compliance.Core.Inventory;

/// <summary>One entry of the Cloud Services Guest OS catalogue (<c>cloudServiceOsVersions</c>).</summary>
public sealed record GuestOsRelease(string Version, string Family, bool IsDefault, bool IsActive, string? Label);
