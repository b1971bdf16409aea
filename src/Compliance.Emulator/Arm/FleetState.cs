namespace Compliance.Emulator.Arm;

/// <summary>
/// The fleet an emulator serves. Readers take the current snapshot without locking; changes
/// replace it whole, one at a time, so a request never sees half an update.
/// </summary>
internal sealed class FleetState(FleetDocument initial)
{
    private readonly Lock _writeLock = new();
    private FleetSnapshot _current = new(initial);

    public FleetSnapshot Current => Volatile.Read(ref _current);

    public void Update(Func<FleetDocument, FleetDocument> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_writeLock)
        {
            var next = change(_current.Document);
            FleetValidator.Validate(next, "fleet");
            Volatile.Write(ref _current, new FleetSnapshot(next));
        }
    }
}
