namespace Compliance.Emulator.Arm;

/// <summary>
/// How one request is to be spoiled: waited on for <paramref name="Delay"/>, then answered with
/// <paramref name="Error"/> (and <paramref name="RetryAfter"/> when positive) instead of being processed.
/// </summary>
internal readonly record struct FaultVerdict(TimeSpan Delay, ArmError? Error, TimeSpan RetryAfter);
