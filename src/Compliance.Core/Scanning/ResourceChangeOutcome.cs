using Compliance.Core.Rules;

namespace Compliance.Core.Scanning;

/// <summary>What handling a resource event did.</summary>
/// <param name="Decision">What the event called for.</param>
/// <param name="Reason">Why, for logs.</param>
/// <param name="Duplicate">Whether the event had been handled before (then nothing was done).</param>
/// <param name="Assessment">The new verdict, for a re-check of a resource that still exists (never for the event itself, which only schedules the re-check).</param>
public sealed record ResourceChangeOutcome(ResourceChangeDecision Decision, string Reason, bool Duplicate, Assessment? Assessment)
{
    /// <summary>Whether a re-check of the resource was pending already, so the event added none.</summary>
    public bool Coalesced { get; init; }
}
