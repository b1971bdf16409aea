namespace Compliance.Functions.Tests;

/// <summary>
/// The tests that share one Azurite (the shared <see cref="AzuriteFixture"/>) for the whole run; they run one after
/// another. xUnit finds collection definitions only in the test assembly itself, so each project declares its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
