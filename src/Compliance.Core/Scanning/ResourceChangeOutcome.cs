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

    /// <summary>The resource re-checked (or scheduled to be): the machine, scale set or Cloud Service the event's subject is or belongs to.</summary>
    public string? Target { get; init; }

    /// <summary>Whether the machine was found still settling (agent not ready, starting), so the verdict was kept and a later try scheduled.</summary>
    public bool Settling { get; init; }

    /// <summary>For a scale set: how many of its instances a re-check was scheduled for (the others had one pending).</summary>
    public int InstancesScheduled { get; init; }
}
