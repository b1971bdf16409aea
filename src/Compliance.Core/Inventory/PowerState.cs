namespace Compliance.Core.Inventory;

/// <summary>A machine's power state, from the <c>PowerState/…</c> instance-view status.</summary>
public enum PowerState
{
    /// <summary>ARM reported no power state the scanner recognises.</summary>
    Unknown,

    /// <summary>Running: the only state in which the guest can be checked.</summary>
    Running,

    /// <summary>Stopped but still allocated.</summary>
    Stopped,

    /// <summary>Stopped and deallocated.</summary>
    Deallocated,

    /// <summary>Starting.</summary>
    Starting,

    /// <summary>Stopping.</summary>
    Stopping,

    /// <summary>Deallocating.</summary>
    Deallocating,
}
