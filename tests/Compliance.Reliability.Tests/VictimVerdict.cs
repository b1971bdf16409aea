namespace Compliance.Reliability.Tests;

/// <summary>What a machine's stored verdict says, for comparing verdicts across a re-check that refreshes their check time.</summary>
/// <param name="Exists">Whether the store holds a verdict for the machine.</param>
/// <param name="Status">The verdict's status.</param>
/// <param name="Findings">The verdict's finding codes, in order.</param>
/// <param name="Outbox">The notifications of the machine not yet delivered.</param>
internal sealed record VictimVerdict(bool Exists, string Status, string Findings, int Outbox)
{
    public override string ToString() => Exists ? $"{Status} ({Findings}), {Outbox} pending notification(s)" : "none";
}
