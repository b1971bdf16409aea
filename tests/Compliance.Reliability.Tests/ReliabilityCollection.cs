namespace Compliance.Reliability.Tests;

/// <summary>
/// Every reliability case runs in this collection, one at a time (faults are timed against a scan in flight), and
/// writes its figures to the one <see cref="ReliabilityFixture"/>, which publishes the table when the run ends.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection : ICollectionFixture<ReliabilityFixture>
{
    public const string Name = "Reliability";
}
