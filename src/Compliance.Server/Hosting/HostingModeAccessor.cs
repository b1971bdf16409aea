namespace Compliance.Server.Hosting;

/// <summary>The mode the app runs in, for endpoints that report it.</summary>
public sealed record HostingModeAccessor(HostingMode Mode);
