using System.Text;

namespace Compliance.Core.Queues;

/// <summary>
/// The JSON a queue message carries, whether it was written as is or Base64-encoded. Writers differ: the Functions
/// host's queue output and Azure.Storage.Queues encode as they are configured, and Event Grid's Storage Queue
/// destination has written both over time. The app reads messages as they are stored (the host's
/// <c>messageEncoding</c> is <c>none</c>) and decodes here, so either kind reaches the handler.
/// </summary>
public static class QueueMessageText
{
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The JSON text of <paramref name="message"/>: itself when it is JSON, else its Base64 decoded as UTF-8.</summary>
    /// <exception cref="FormatException">The message is neither a JSON object or array nor the Base64 of one.</exception>
    public static string Decode(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (LooksLikeJson(message))
        {
            return message;
        }

        string decoded;
        try
        {
            decoded = _strictUtf8.GetString(Convert.FromBase64String(message));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            throw new FormatException("The queue message is neither JSON nor Base64-encoded JSON.", ex);
        }

        return LooksLikeJson(decoded) ? decoded : throw new FormatException("The queue message is Base64, but what it encodes is not JSON.");
    }

    private static bool LooksLikeJson(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        return trimmed.Length > 0 && trimmed[0] is '{' or '[';
    }
}
