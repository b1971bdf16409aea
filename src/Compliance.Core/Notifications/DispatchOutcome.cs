namespace Compliance.Core.Notifications;

/// <summary>What a dispatch did.</summary>
/// <param name="Delivered">Message deliveries sinks accepted (a message sent to two sinks counts twice).</param>
/// <param name="Pending">Message deliveries still waiting, to be tried again at the next dispatch.</param>
public sealed record DispatchOutcome(int Delivered, int Pending);
