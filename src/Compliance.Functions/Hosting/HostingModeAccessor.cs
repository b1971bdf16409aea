namespace Compliance.Functions.Hosting;

/// <summary>The mode the app runs in, for endpoints that report it.</summary>
internal sealed record HostingModeAccessor(HostingMode Mode);
