namespace Compliance.Reliability.Tests;

/// <summary>How a <see cref="NotificationReceiver"/> answers.</summary>
internal enum ReceiverMode
{
    /// <summary>Accepts and records every delivery.</summary>
    Up,

    /// <summary>Answers 503 and records nothing: the sink is down.</summary>
    Down,

    /// <summary>Never answers (until set otherwise) and records nothing: the sender waits, or dies waiting.</summary>
    Hold,
}
