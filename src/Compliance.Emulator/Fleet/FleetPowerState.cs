namespace Compliance.Emulator;

/// <summary>
/// The power state of an emulated machine, served as <c>PowerState/&lt;state&gt;</c> in instance views.
/// </summary>
public enum FleetPowerState
{
    /// <summary>The machine is running (<c>running</c>).</summary>
    Running,

    /// <summary>The machine is stopped but still allocated (<c>stopped</c>).</summary>
    Stopped,

    /// <summary>The machine is stopped and deallocated (<c>deallocated</c>).</summary>
    Deallocated,

    /// <summary>The machine is starting (<c>starting</c>).</summary>
    Starting,

    /// <summary>The machine is stopping (<c>stopping</c>).</summary>
    Stopping,

    /// <summary>The machine is being deallocated (<c>deallocating</c>).</summary>
    Deallocating,
}
