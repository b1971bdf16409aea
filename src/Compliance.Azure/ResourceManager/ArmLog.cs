using Microsoft.Extensions.Logging;

namespace Compliance.Azure.ResourceManager;

internal static partial class ArmLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "The Guest OS catalogue of {Location} could not be read (HTTP {Status}, {ErrorCode})")]
    public static partial void CatalogueUnavailable(ILogger logger, string location, int status, string? errorCode);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "The role instances of {ResourceId} could not be listed (HTTP {Status}, {ErrorCode})")]
    public static partial void RoleInstancesUnavailable(ILogger logger, string resourceId, int status, string? errorCode);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Run Command on {ResourceId} is busy (attempt {Attempt}); retrying in {DelayMs} ms")]
    public static partial void RunCommandBusy(ILogger logger, string resourceId, int attempt, long delayMs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Run Command on {ResourceId} failed with HTTP {Status} {ErrorCode}")]
    public static partial void RunCommandFailed(ILogger logger, string resourceId, int status, string? errorCode);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "This app's object id is not known ({Why}): Run Command events are ignored, since any could be our own check")]
    public static partial void AppIdentityUnknown(ILogger logger, string why);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "installPatches on {ResourceId} ended {Status} (reboot {RebootStatus}; {Installed} installed, {Failed} failed)")]
    public static partial void PatchInstallationEnded(ILogger logger, string resourceId, string status, string? rebootStatus, int installed, int failed);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "installPatches on {ResourceId} failed with HTTP {Status} {ErrorCode}")]
    public static partial void PatchInstallationFailed(ILogger logger, string resourceId, int status, string? errorCode);
}
