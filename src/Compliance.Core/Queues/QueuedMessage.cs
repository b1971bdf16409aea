namespace Compliance.Core.Queues;

/// <summary>A message received from the batch queue.</summary>
/// <param name="MessageId">The message's id, the same at every delivery.</param>
/// <param name="Receipt">What proves this delivery (a storage queue's pop receipt); it changes whenever the message is hidden again.</param>
/// <param name="DequeueCount">How many times the message was received, this delivery included.</param>
/// <param name="Text">The message text.</param>
public sealed record QueuedMessage(string MessageId, string Receipt, long DequeueCount, string Text);
