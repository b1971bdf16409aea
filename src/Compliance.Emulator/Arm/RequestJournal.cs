namespace Compliance.Emulator.Arm;

/// <summary>
/// What the emulator received, for tests, the CLI and benchmarks to inspect afterwards. Reading it is a snapshot that
/// copies nothing.
/// </summary>
internal sealed class RequestJournal
{
    private readonly AppendOnlyLog<RecordedRequest> _requests = new();
    private readonly AppendOnlyLog<RecordedRunCommand> _runCommands = new();
    private readonly AppendOnlyLog<RecordedInstallPatches> _installPatches = new();

    public IReadOnlyList<RecordedRequest> Requests => _requests.Snapshot();

    public int RequestCount => _requests.Count;

    public IReadOnlyList<RecordedRunCommand> RunCommands => _runCommands.Snapshot();

    public IReadOnlyList<RecordedInstallPatches> InstallPatches => _installPatches.Snapshot();

    public void Record(RecordedInstallPatches installPatches) => _installPatches.Append(installPatches);

    public void Record(RecordedRequest request) => _requests.Append(request);

    public void Record(RecordedRunCommand runCommand) => _runCommands.Append(runCommand);
}
