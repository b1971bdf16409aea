using Compliance.Core.Storage;

namespace Compliance.Core.Notifications;

/// <summary>What the policy decided for one verdict: the actions now open, and the messages to queue.</summary>
public sealed record NotificationDecision(IReadOnlyList<OpenAction> OpenActions, IReadOnlyList<NotificationMessage> Messages);
