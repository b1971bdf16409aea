namespace Compliance.Emulator.Arm;

/// <summary>
/// One accepted Run Command: an ARM asynchronous operation that completes at a fixed time.
/// </summary>
internal sealed record RunCommandOperation(
    string Id,
    string SubscriptionId,
    string Location,
    string ResourceId,
    DateTimeOffset StartTime,
    DateTimeOffset CompletesAt,
    RunCommandOutcome Outcome)
{
    public bool IsCompleted(DateTimeOffset now) => now >= CompletesAt;
}
