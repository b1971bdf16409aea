using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Core.Scanning;

/// <summary>What a scan run from start to finish in this process (<see cref="ScanRunner"/>) gives.</summary>
/// <param name="Report">Its report: a verdict for every resource it judged (those it could not store included) and its errors.</param>
/// <param name="Scan">Its record as the ledger keeps it.</param>
public sealed record ScanResult(ComplianceReport Report, ScanRecord Scan);
