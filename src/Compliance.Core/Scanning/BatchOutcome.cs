using Compliance.Core.Notifications;
using Compliance.Core.Rules;
using Compliance.Core.Storage;

namespace Compliance.Core.Scanning;

/// <summary>What running one batch did.</summary>
/// <param name="Assessments">The verdicts, in the batch's order.</param>
/// <param name="Recorded">What storing them did.</param>
/// <param name="FinishedScan">Whether this batch was the last and finished the scan.</param>
/// <param name="Dispatched">What delivering notifications did.</param>
public sealed record BatchOutcome(IReadOnlyList<Assessment> Assessments, RecordOutcome Recorded, bool FinishedScan, DispatchOutcome Dispatched);
