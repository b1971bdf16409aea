namespace Compliance.Core.Scanning;

/// <summary>How far a scan has come.</summary>
/// <param name="Discovered">Resources found so far.</param>
/// <param name="Completed">Resources judged so far.</param>
/// <param name="InventoryComplete">Whether every subscription has been listed (then <paramref name="Discovered"/> is final).</param>
public sealed record ScanProgress(int Discovered, int Completed, bool InventoryComplete);
