using System.ComponentModel.DataAnnotations;

namespace Compliance.Core.Queues;

/// <summary>
/// The batch queue (section <c>Compliance:Queue</c>). The values mirror the Functions host's queue settings
/// (<c>host.json</c>), so that a scan behaves the same under the host and on its own.
/// </summary>
public sealed class ScanQueueOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Queue";

    /// <summary>The queue the Functions app's trigger and output binding use too.</summary>
    public const string DefaultQueueName = "compliance-batches";

    /// <summary>The queue's name (lower-case letters, digits and single hyphens, 3 to 56 characters).</summary>
    /// <value>Default: <c>compliance-batches</c>.</value>
    [RegularExpression("^(?=.{3,56}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    public string QueueName { get; set; } = DefaultQueueName;

    /// <summary>The poison queue, named as the Functions host names it.</summary>
    public string PoisonQueueName => PoisonOf(QueueName);

    /// <summary>The poison queue of the queue <paramref name="queueName"/>, as the Functions host names it.</summary>
    public static string PoisonOf(string queueName) => queueName + "-poison";

    /// <summary>
    /// How long a received message stays hidden; the worker hides it again every half of this while its batch runs, so
    /// it comes back this long after its worker died.
    /// </summary>
    /// <value>Default: 2 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a batch that failed waits before it is delivered again (<c>host.json</c>'s <c>visibilityTimeout</c>).</summary>
    /// <value>Default: 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries of a message before it goes to the poison queue (<c>host.json</c>'s <c>maxDequeueCount</c>).</summary>
    /// <value>Default: 5.</value>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>The longest wait between two looks at an empty queue (the wait doubles from 100 ms up to this).</summary>
    /// <value>Default: 2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);
}
