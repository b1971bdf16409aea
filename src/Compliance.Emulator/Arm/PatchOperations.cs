namespace Compliance.Emulator.Arm;

/// <summary>
/// The <c>installPatches</c> operations an emulator has accepted, and Azure's rule that a virtual machine runs one
/// patch operation at a time.
/// </summary>
internal sealed class PatchOperations(TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PatchOperation> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PatchOperation> _latestByMachine = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<PatchOperation> All
    {
        get
        {
            lock (_lock)
            {
                return _byId.Values.OrderBy(o => o.StartTime).ToArray();
            }
        }
    }

    /// <summary>Starts the operation <paramref name="create"/> makes, or returns <see langword="null"/> while the machine still runs an earlier one.</summary>
    public PatchOperation? TryStart(string resourceId, Func<DateTimeOffset, PatchOperation> create)
    {
        lock (_lock)
        {
            var now = timeProvider.GetUtcNow();
            if (_latestByMachine.TryGetValue(resourceId, out var previous) && !previous.IsCompleted(now))
            {
                return null;
            }

            var operation = create(now);
            _byId[operation.Id] = operation;
            _latestByMachine[resourceId] = operation;
            return operation;
        }
    }

    public PatchOperation? Find(string operationId)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(operationId);
        }
    }
}
