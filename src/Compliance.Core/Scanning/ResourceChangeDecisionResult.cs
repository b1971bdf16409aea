namespace Compliance.Core.Scanning;

/// <summary>What <see cref="ResourceChangeRules.Decide"/> found an event calls for.</summary>
/// <param name="Decision">What to do.</param>
/// <param name="Target">
/// The resource to re-check: the machine, scale set or Cloud Service the event's subject is or belongs to;
/// <see langword="null"/> when ignored.
/// </param>
/// <param name="Reason">Why, for logs.</param>
public sealed record ResourceChangeDecisionResult(ResourceChangeDecision Decision, string? Target, string Reason)
{
    /// <summary>Why it was ignored; <see cref="ResourceChangeIgnoreKind.None"/> unless <see cref="Decision"/> is <see cref="ResourceChangeDecision.Ignore"/>.</summary>
    public ResourceChangeIgnoreKind IgnoreKind { get; init; }
}
