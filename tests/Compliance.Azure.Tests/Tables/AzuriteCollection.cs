namespace Compliance.Azure.Tests.Tables;

/// <summary>The tests that share one Azurite for the whole run (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
