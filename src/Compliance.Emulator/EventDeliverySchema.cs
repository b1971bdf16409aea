namespace Compliance.Emulator;

/// <summary>
/// The schema of the events the emulator writes, as an Event Grid event subscription's <c>eventDeliverySchema</c>
/// chooses it.
/// </summary>
public enum EventDeliverySchema
{
    /// <summary>
    /// Event Grid's own schema (<c>EventGridSchema</c>): <c>topic</c>, <c>subject</c>, <c>eventType</c>,
    /// <c>eventTime</c>, <c>id</c>, <c>data</c>, <c>dataVersion</c>, <c>metadataVersion</c>.
    /// </summary>
    EventGrid,

    /// <summary>
    /// CloudEvents 1.0 in JSON (<c>CloudEventSchemaV1_0</c>): <c>specversion</c>, <c>type</c>, <c>source</c>,
    /// <c>id</c>, <c>time</c>, <c>subject</c>, <c>data</c>, with the same <c>data</c> as <see cref="EventGrid"/>.
    /// </summary>
    CloudEvents,
}
