namespace Compliance.Core.Scanning;

/// <summary>What a resource event calls for.</summary>
public enum ResourceChangeDecision
{
    /// <summary>Nothing: not an event about a resource Compliance judges, or not a change that matters.</summary>
    Ignore,

    /// <summary>Check the resource again.</summary>
    Recheck,

    /// <summary>Check every instance of a scale set again (and forget the ones that are gone).</summary>
    RecheckScaleSet,

    /// <summary>Forget the resource: it was deleted (a re-check asks ARM first).</summary>
    Remove,
}
