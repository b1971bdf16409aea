using Microsoft.Extensions.Logging;

namespace Compliance.Core.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "The verdict of {ResourceId} could not be stored after {Attempts} attempts: other writers kept changing it")]
    public static partial void VerdictLost(ILogger logger, string resourceId, int attempts);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "The verdict of {ResourceId} is older than the stored one and was not written")]
    public static partial void VerdictStale(ILogger logger, string resourceId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "History entries of {Count} changes could not be written now; they stay pending with their states")]
    public static partial void HistoryDeferred(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "The verdict of {ResourceId} is reported but cannot be stored: {Reason}")]
    public static partial void VerdictUnstored(ILogger logger, string resourceId, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "{Count} history entries pending in their states could not be written out now; they stay there, read with the history, until a later write or sweep")]
    public static partial void HistorySweepFailed(ILogger logger, int count, Exception exception);
}
