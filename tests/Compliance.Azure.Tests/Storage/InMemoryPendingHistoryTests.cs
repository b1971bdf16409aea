using Compliance.Core.Inventory;
using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;

namespace Compliance.Azure.Tests.Storage;

/// <summary>Pending history entries in memory, held to the same cases as the Table store.</summary>
public sealed class InMemoryPendingHistoryTests : PendingHistoryContract
{
    private readonly InMemoryVerdictStore _store = new();

    protected override IVerdictStore Store => _store;

    protected override Task<IReadOnlyList<HistoryEntry>> WrittenHistoryAsync(string resourceId) =>
        Task.FromResult<IReadOnlyList<HistoryEntry>>([.. _store.History.Where(e => ResourceKey.HistoryPartitionKey(new ResourceId(e.ResourceId)) == ResourceKey.HistoryPartitionKey(new ResourceId(resourceId)))]);
}
