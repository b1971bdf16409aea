using Compliance.Core.Notifications;
using Compliance.Core.Storage;

namespace Compliance.Core.Scanning;

/// <summary>The outcome of a scan with a store.</summary>
/// <param name="Scan">The scan itself.</param>
/// <param name="Recorded">What storing its verdicts did.</param>
/// <param name="Dispatched">What the final delivery of notifications did.</param>
public sealed record StoredScanResult(ScanResult Scan, RecordOutcome Recorded, DispatchOutcome Dispatched);
