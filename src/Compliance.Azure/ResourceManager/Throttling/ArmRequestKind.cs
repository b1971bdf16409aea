namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>How ARM and Compute count a request against their rate limits.</summary>
public enum ArmRequestKind
{
    /// <summary>A GET of a resource or a list (ARM reads; Compute Get/List policies).</summary>
    Read,

    /// <summary>A PUT, PATCH or action POST such as <c>runCommand</c> (ARM writes; Compute's Update VM policy).</summary>
    Write,

    /// <summary>A DELETE (ARM deletes).</summary>
    Delete,

    /// <summary>A GET of an async operation's status (ARM reads; Compute's Get Operation policy).</summary>
    Poll,
}
