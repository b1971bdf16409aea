using System.ComponentModel.DataAnnotations;

namespace Compliance.Core.Queues;

/// <summary>
/// The queue Event Grid delivers the subscription's resource changes to (section <c>Compliance:Events</c>): the
/// system topic's event subscription writes each event there, the <c>ResourceChanged</c> function (or, on its own, the
/// app's consumer) reads it.
/// </summary>
public sealed class ResourceChangeQueueOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Events";

    /// <summary>The queue the Bicep event subscription delivers to.</summary>
    public const string DefaultQueueName = "resource-changes";

    /// <summary>The service key of the queue's <see cref="IScanBatchQueue"/> client.</summary>
    public const string ServiceKey = "resource-changes";

    /// <summary>The queue's name (lower-case letters, digits and single hyphens, 3 to 56 characters).</summary>
    /// <value>Default: <c>resource-changes</c>.</value>
    [RegularExpression("^(?=.{3,56}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    public string QueueName { get; set; } = DefaultQueueName;
}
