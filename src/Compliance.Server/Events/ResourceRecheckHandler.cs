using System.Text.Json;
using Compliance.Core.Queues;
using Compliance.Core.Scanning;

namespace Compliance.Server.Events;

/// <summary>
/// One message of the re-check queue, handled the same way by the <c>RecheckResource</c> function and by the consumer of
/// <c>compliance serve</c>: the text (as stored, or Base64) is a <see cref="ResourceRecheck"/>, run by the
/// <see cref="ResourceRechecker"/>.
/// </summary>
public sealed class ResourceRecheckHandler(ResourceRechecker rechecker, ILogger<ResourceRecheckHandler> logger)
{
    /// <summary>The re-check in <paramref name="message"/>.</summary>
    /// <exception cref="InvalidDataException">The message is not a re-check: retrying it would not help.</exception>
    public static ResourceRecheck Read(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            return ResourceRecheck.Deserialize(QueueMessageText.Decode(message));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new InvalidDataException($"The message is not a re-check: {ex.Message}", ex);
        }
    }

    /// <summary>Runs the re-check of <paramref name="message"/>.</summary>
    /// <exception cref="InvalidDataException">The message is not a re-check.</exception>
    public async Task<ResourceChangeOutcome> HandleAsync(string message, CancellationToken cancellationToken)
    {
        var recheck = Read(message);
        var outcome = await rechecker.RecheckAsync(recheck, cancellationToken).ConfigureAwait(false);
        EventLog.Handled(logger, recheck.EventId, outcome.Decision.ToString(), outcome.Reason);
        return outcome;
    }
}
