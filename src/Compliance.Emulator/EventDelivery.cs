namespace Compliance.Emulator;

/// <summary>
/// One resource event the emulator wrote to its event queue (<see cref="ArmEmulatorOptions.EventQueue"/>).
/// </summary>
/// <param name="QueueName">The queue the message went to.</param>
/// <param name="MessageId">The id the storage service gave the message.</param>
/// <param name="EventId">The event's <c>id</c>.</param>
/// <param name="EventType">
/// The event's type (<c>eventType</c> or <c>type</c>, by schema), e.g. <c>Microsoft.Resources.ResourceWriteSuccess</c>.
/// </param>
/// <param name="MessageText">The message's text exactly as stored: <paramref name="Json"/> itself, or its Base64.</param>
/// <param name="Json">The event as JSON: one object, not an array, in the configured schema.</param>
public sealed record EventDelivery(string QueueName, string MessageId, string EventId, string EventType, string MessageText, string Json);
