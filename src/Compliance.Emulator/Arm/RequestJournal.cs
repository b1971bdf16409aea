namespace Compliance.Emulator.Arm;

/// <summary>
/// What the emulator received, for tests and the CLI to inspect afterwards.
/// </summary>
internal sealed class RequestJournal
{
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<RecordedRunCommand> _runCommands = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToArray();
            }
        }
    }

    public IReadOnlyList<RecordedRunCommand> RunCommands
    {
        get
        {
            lock (_lock)
            {
                return _runCommands.ToArray();
            }
        }
    }

    public void Record(RecordedRequest request)
    {
        lock (_lock)
        {
            _requests.Add(request);
        }
    }

    public void Record(RecordedRunCommand runCommand)
    {
        lock (_lock)
        {
            _runCommands.Add(runCommand);
        }
    }
}
