namespace Compliance.Emulator.Arm;

/// <summary>
/// How one request is to be spoiled: waited on for <paramref name="Delay"/>, then answered with
/// <paramref name="Error"/> (and <paramref name="RetryAfter"/> when positive) instead of being processed, or its
/// connection reset (<paramref name="Reset"/>) before or after it is processed.
/// </summary>
internal readonly record struct FaultVerdict(TimeSpan Delay, ArmError? Error, TimeSpan RetryAfter, ConnectionReset Reset = ConnectionReset.None);
