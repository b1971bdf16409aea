namespace Compliance.Core.Scanning;

/// <summary>What a successful operation of <see cref="ResourceChangeRules"/>' table calls for.</summary>
public enum ResourceOperationEffect
{
    /// <summary>Re-check the machine or Cloud Service (a child resource's operation: its machine).</summary>
    Recheck,

    /// <summary>Re-check the machine unless this app made the call (Run Command: our own guest checks).</summary>
    RecheckUnlessOwnCall,

    /// <summary>Re-check every instance of the scale set, and forget the ones that are gone.</summary>
    RecheckScaleSet,

    /// <summary>The resource was deleted: re-check it, so that ARM's 404 removes its verdict.</summary>
    Remove,
}
