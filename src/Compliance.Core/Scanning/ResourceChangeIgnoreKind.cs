namespace Compliance.Core.Scanning;

/// <summary>Why an event was ignored, as counted (<see cref="ResourceChangeCounters"/>).</summary>
public enum ResourceChangeIgnoreKind
{
    /// <summary>Not ignored.</summary>
    None,

    /// <summary>About a resource Compliance does not judge (a disk, a network interface, another provider).</summary>
    NotJudged,

    /// <summary>In a subscription outside the scan's scope.</summary>
    OutOfScope,

    /// <summary>An event type other than a successful write, action or delete.</summary>
    EventType,

    /// <summary>An operation the table does not list (or listed for another subject or event type).</summary>
    Operation,

    /// <summary>A Run Command by this app: our own guest check (or one that could be, while the app's identity is not known).</summary>
    OwnCall,
}
