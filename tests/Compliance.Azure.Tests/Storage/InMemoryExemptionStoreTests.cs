using Compliance.Core.Exemptions;
using Compliance.Core.Storage.InMemory;

namespace Compliance.Azure.Tests.Storage;

/// <summary>The exemption store in memory, held to the same cases as the Table store.</summary>
public sealed class InMemoryExemptionStoreTests : ExemptionStoreContract
{
    protected override IExemptionStore Store { get; } = new InMemoryExemptionStore();
}
