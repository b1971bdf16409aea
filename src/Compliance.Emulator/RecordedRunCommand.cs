namespace Compliance.Emulator;

/// <summary>
/// A Run Command POST the emulator received, whatever its answer was.
/// </summary>
/// <param name="ResourceId">The machine's ARM id (canonical spelling when the machine exists).</param>
/// <param name="CommandId">The <c>commandId</c> of the body; empty when the body did not parse.</param>
/// <param name="Script">The script lines.</param>
/// <param name="Parameters">The parameters, in request order.</param>
/// <param name="At">When it was received, by the emulator's clock.</param>
public sealed record RecordedRunCommand(
    string ResourceId,
    string CommandId,
    IReadOnlyList<string> Script,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    DateTimeOffset At);
