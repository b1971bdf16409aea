using Microsoft.Extensions.Logging;

namespace Compliance.Core.Exemptions;

internal static partial class ExemptionLog
{
    [LoggerMessage(EventId = 3600, Level = LogLevel.Information, Message = "Exemptions re-applied for {ExemptionId}: {Resources} resources in scope, {Changed} changed")]
    public static partial void ScopeApplied(ILogger logger, string exemptionId, int resources, int changed);

    [LoggerMessage(EventId = 3601, Level = LogLevel.Information, Message = "Exemption {ExemptionId} expired; its scope was re-applied")]
    public static partial void Expired(ILogger logger, string exemptionId);

    [LoggerMessage(EventId = 3602, Level = LogLevel.Information, Message = "Exemption {ExemptionId} expires at {ExpiresOn}: the expiring notice is queued")]
    public static partial void Expiring(ILogger logger, string exemptionId, DateTimeOffset expiresOn);

    [LoggerMessage(EventId = 3603, Level = LogLevel.Information, Message = "Exemption {ExemptionId} {Change} by {By}")]
    public static partial void Changed(ILogger logger, string exemptionId, string change, string by);

    [LoggerMessage(EventId = 3604, Level = LogLevel.Warning, Message = "The exemption sweep failed; the next one tries again")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3605, Level = LogLevel.Warning, Message = "Notifications queued by an exemption change could not be delivered now; they stay in the outbox for the next dispatch")]
    public static partial void DeliveryDeferred(ILogger logger, Exception exception);
}
