namespace Compliance.Emulator.Arm;

/// <summary>
/// The Run Command operations an emulator has accepted, and the rule that a machine runs one
/// command at a time.
/// </summary>
internal sealed class RunCommandOperations(TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RunCommandOperation> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RunCommandOperation> _latestByMachine = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<RunCommandOperation> All
    {
        get
        {
            lock (_lock)
            {
                return _byId.Values.OrderBy(o => o.StartTime).ToArray();
            }
        }
    }

    /// <summary>Starts an operation, or returns <see langword="null"/> while the machine still runs an earlier one.</summary>
    public RunCommandOperation? TryStart(EmulatedMachine machine, RunCommandOutcome outcome, TimeSpan latency)
    {
        lock (_lock)
        {
            var now = timeProvider.GetUtcNow();
            if (_latestByMachine.TryGetValue(machine.ResourceId, out var previous) && !previous.IsCompleted(now))
            {
                return null;
            }

            var operation = new RunCommandOperation(
                Guid.NewGuid().ToString("D"),
                machine.SubscriptionId,
                machine.Location,
                machine.ResourceId,
                now,
                now + latency,
                outcome);
            _byId[operation.Id] = operation;
            _latestByMachine[machine.ResourceId] = operation;
            return operation;
        }
    }

    public RunCommandOperation? Find(string operationId)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(operationId);
        }
    }
}
