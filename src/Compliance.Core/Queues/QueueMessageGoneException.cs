namespace Compliance.Core.Queues;

/// <summary>
/// A received message can no longer be acted on with its receipt: it became visible again and was received by someone
/// else, or was deleted. The other delivery owns it now.
/// </summary>
public sealed class QueueMessageGoneException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QueueMessageGoneException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public QueueMessageGoneException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public QueueMessageGoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
