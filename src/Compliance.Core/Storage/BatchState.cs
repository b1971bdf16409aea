namespace Compliance.Core.Storage;

/// <summary>Where a batch of a fanned-out scan stands in the ledger.</summary>
public enum BatchState
{
    /// <summary>Every resource of it was judged and its verdicts stored.</summary>
    Done,

    /// <summary>It ran out of time: what it judged is stored, and its next delivery goes on from there.</summary>
    Partial,

    /// <summary>It was given up after its last delivery failed; its remaining resources keep their earlier verdicts.</summary>
    Abandoned,
}
