using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Storage;

namespace Compliance.Core.Tests.TestData;

/// <summary>A scan the harness ran: its verdicts as judged, its errors and its record.</summary>
public sealed record HarnessScan(IReadOnlyList<Assessment> Assessments, IReadOnlyList<ReportError> Errors, ScanRecord Scan);
