using Compliance.Core.Remediation;
using Compliance.Core.Storage.InMemory;

namespace Compliance.Azure.Tests.Storage;

/// <summary>The remediation plans in memory, held to the same cases as the Table store.</summary>
public sealed class InMemoryRemediationStoreTests : RemediationStoreContract
{
    protected override IRemediationStore Store { get; } = new InMemoryRemediationStore();
}
