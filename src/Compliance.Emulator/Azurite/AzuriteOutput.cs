namespace Compliance.Emulator.Azurite;

/// <summary>
/// The output of a child process (Azurite or npm): forwarded line by line to an optional log, and its last lines kept
/// for error messages.
/// </summary>
internal sealed class AzuriteOutput(TextWriter? log)
{
    private const int KeptLines = 200;

    private readonly Lock _gate = new();
    private readonly Queue<string> _tail = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _tail.Enqueue(line);
            if (_tail.Count > KeptLines)
            {
                _tail.Dequeue();
            }

            try
            {
                log?.WriteLine(line);
            }
            catch (Exception exception) when (exception is InvalidOperationException or ObjectDisposedException or IOException)
            {
                // The log may belong to something that has ended (a finished test's output); the process must not care.
            }
        }
    }

    public bool Contains(string text)
    {
        lock (_gate)
        {
            return _tail.Any(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _tail.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, _tail);
        }
    }
}
