namespace Compliance.Testing;

/// <summary>How a <see cref="LoopbackReceiver"/> answers.</summary>
public enum ReceiverMode
{
    /// <summary>Records every request and answers it as <see cref="LoopbackReceiver.Respond"/> says (200 by default).</summary>
    Up,

    /// <summary>Answers 503 and records nothing but the refusal: the sink is down.</summary>
    Down,

    /// <summary>Never answers (until set otherwise) and records nothing: the sender waits, or dies waiting.</summary>
    Hold,
}
