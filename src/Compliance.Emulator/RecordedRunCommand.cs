namespace Compliance.Emulator;

/// <summary>
/// A Run Command POST the emulator received, whatever its answer was.
/// </summary>
/// <param name="ResourceId">The machine's ARM id (canonical spelling when the machine exists).</param>
/// <param name="CommandId">The <c>commandId</c> of the body; empty when the body did not parse.</param>
/// <param name="Script">The script lines.</param>
/// <param name="Parameters">The parameters, in request order.</param>
/// <param name="At">When it was received, by the emulator's clock.</param>
/// <param name="BodySha256">
/// The SHA-256 (upper-case hex) of the body exactly as received, so a test can tell that the whole body is what it
/// expects, fields the emulator does not read included, without the journal keeping a copy of every body.
/// </param>
public sealed record RecordedRunCommand(
    string ResourceId,
    string CommandId,
    IReadOnlyList<string> Script,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    DateTimeOffset At,
    string BodySha256);
