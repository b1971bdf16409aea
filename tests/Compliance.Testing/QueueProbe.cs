using Azure;
using Azure.Storage.Queues;
using Compliance.Core.Queues;

namespace Compliance.Testing;

/// <summary>
/// A storage queue an app reads, and its poison queue (<c>{queue}-poison</c>, as the Functions host and the app name
/// it), seen from outside: messages go in and are read back exactly as stored (<see cref="QueueMessageEncoding.None"/>),
/// so a test can write what Event Grid or an attacker would and see where it ended.
/// </summary>
public sealed class QueueProbe
{
    // A peek returns at most 32 messages: more than any test poisons.
    private const int MaxPeek = 32;

    public QueueProbe(string connectionString, string queueName)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        Queue = new QueueClient(connectionString, queueName, options);
        Poison = new QueueClient(connectionString, ScanQueueOptions.PoisonOf(queueName), options);
    }

    public QueueClient Queue { get; }

    public QueueClient Poison { get; }

    /// <summary>Writes <paramref name="text"/> as one message, creating the queue first when it is missing; returns its id.</summary>
    public async Task<string> SendAsync(string text)
    {
        await Queue.CreateIfNotExistsAsync();
        return (await Queue.SendMessageAsync(text)).Value.MessageId;
    }

    /// <summary>
    /// The messages the queue holds, those received and not yet deleted included: 0 once every message written so far
    /// has been handled (deleted) or moved to the poison queue.
    /// </summary>
    public async Task<int> CountAsync()
    {
        try
        {
            return (await Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }
    }

    /// <summary>The texts in the queue, oldest first (the first 32), left in place; none when it does not exist.</summary>
    public Task<IReadOnlyList<string>> PeekAsync() => PeekAsync(Queue);

    /// <summary>The texts in the poison queue, oldest first (the first 32); none when it does not exist.</summary>
    public Task<IReadOnlyList<string>> PoisonedAsync() => PeekAsync(Poison);

    /// <summary>Deletes the queue and its poison queue.</summary>
    public async Task DeleteAsync()
    {
        await Queue.DeleteIfExistsAsync();
        await Poison.DeleteIfExistsAsync();
    }

    private static async Task<IReadOnlyList<string>> PeekAsync(QueueClient queue)
    {
        try
        {
            var peeked = await queue.PeekMessagesAsync(MaxPeek);
            return [.. peeked.Value.Select(m => m.Body.ToString())];
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }
    }

    /// <summary>Waits until the queue holds no message; fails the test after <paramref name="timeout"/>.</summary>
    public Task DrainedAsync(TimeSpan timeout, string what) =>
        Eventually.HoldsAsync(async () => await CountAsync() == 0, timeout, what);
}
