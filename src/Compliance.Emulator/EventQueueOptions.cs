namespace Compliance.Emulator;

/// <summary>
/// Where and how an <see cref="ArmEmulator"/> delivers the events of the subscription's Event Grid system topic: as
/// the topic's event subscription with a Storage Queue destination does, one event per queue message. Read once
/// when the emulator starts.
/// </summary>
public sealed class EventQueueOptions
{
    /// <summary>The queue the app's event subscription writes to in Azure.</summary>
    public const string DefaultQueueName = "resource-changes";

    /// <summary>The connection string of the storage account that holds the queue, e.g. Azurite's.</summary>
    /// <value>Empty: required.</value>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The queue's name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or
    /// digit. The emulator creates the queue before its first message when it is missing.
    /// </summary>
    /// <value><see cref="DefaultQueueName"/>.</value>
    public string QueueName { get; set; } = DefaultQueueName;

    /// <summary>How the event's JSON is written into the message.</summary>
    /// <value><see cref="EventMessageEncoding.Base64"/>, what Event Grid writes today.</value>
    public EventMessageEncoding Encoding { get; set; } = EventMessageEncoding.Base64;

    /// <summary>The schema of the events.</summary>
    /// <value><see cref="EventDeliverySchema.EventGrid"/>, the schema of the app's event subscription.</value>
    public EventDeliverySchema Schema { get; set; } = EventDeliverySchema.EventGrid;
}
