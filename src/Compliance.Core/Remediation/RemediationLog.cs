using Microsoft.Extensions.Logging;

namespace Compliance.Core.Remediation;

internal static partial class RemediationLog
{
    [LoggerMessage(EventId = 9100, Level = LogLevel.Information, Message = "Remediation plan {PlanId} ({Action}) proposed by {By}: {Runs} machines to change, {Skipped} skipped")]
    public static partial void Proposed(ILogger logger, string planId, string action, string by, int runs, int skipped);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Remediation plan {PlanId} approved by {By}: {Steps} steps queued")]
    public static partial void Approved(ILogger logger, string planId, string by, int steps);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Remediation plan {PlanId} cancelled by {By}")]
    public static partial void Cancelled(ILogger logger, string planId, string by);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "Remediation of {ResourceId} (plan {PlanId}): {Outcome}")]
    public static partial void StepDone(ILogger logger, string planId, string resourceId, string outcome);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Information, Message = "Remediation of {ResourceId} (plan {PlanId}) waits: another step holds the machine")]
    public static partial void Busy(ILogger logger, string planId, string resourceId);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Warning, Message = "A remediation message for plan {PlanId} was not run: {Reason}")]
    public static partial void NotRun(ILogger logger, string planId, string reason);

    [LoggerMessage(EventId = 9106, Level = LogLevel.Information, Message = "Remediation of {ResourceId} (plan {PlanId}) verified: {Status}")]
    public static partial void Verified(ILogger logger, string planId, string resourceId, string status);

    [LoggerMessage(EventId = 9107, Level = LogLevel.Information, Message = "Remediation plan {PlanId} completed: {Succeeded} succeeded, {Failed} failed, {Skipped} skipped, {Compliant} verified compliant")]
    public static partial void Completed(ILogger logger, string planId, int succeeded, int failed, int skipped, int compliant);

    [LoggerMessage(EventId = 9108, Level = LogLevel.Warning, Message = "The completion of remediation plan {PlanId} could not be delivered to {Sink}; it is tried again")]
    public static partial void CompletionUndelivered(ILogger logger, string planId, string sink, Exception exception);
}
