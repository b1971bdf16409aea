using Compliance.Core.Reporting;
using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;

namespace Compliance.Azure.Tests.Storage;

/// <summary>The verdicts in memory, held to the same cases as the Table store (beside which they live for that reason).</summary>
public sealed class InMemoryVerdictStoreTests : VerdictStoreContract
{
    private readonly InMemoryVerdictStore _store = new();

    protected override IVerdictStore Store => _store;

    [Fact]
    public async Task StatesAndHistory_AreSnapshotsInTheStoresOrder()
    {
        var at = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        string Id(string subscription, string name) => $"/subscriptions/{subscription}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/{name}";
        ResourceState State(string id) => new(new ReportResource(id, "VirtualMachine", "vm", "Linux", "Compliant", [], [], "s", "rg", "westeurope", at), "scan-1", null, [], [], []);
        string[] ids = [Id("b", "vm-1"), Id("a", "vm-2"), Id("a", "VM-1")];
        await _store.WriteStatesAsync(ids.Select(id => new StateWrite(State(id), null)).ToList(), CancellationToken.None);
        await _store.AppendHistoryAsync([.. ids.Select(id => new HistoryEntry(id, at, "scan-1", null, "Compliant", [], [], [])), new HistoryEntry(ids[2], at.AddHours(1), "scan-2", "Compliant", "Unknown", [], [], [])], CancellationToken.None);

        var states = _store.States;
        var history = _store.History;
        await _store.DeleteStateAsync(ids[0], CancellationToken.None);

        Assert.Equal([ids[2], ids[1], ids[0]], states.Select(s => s.State.ResourceId));
        Assert.Equal([(ids[2], "scan-2"), (ids[2], "scan-1"), (ids[1], "scan-1"), (ids[0], "scan-1")], history.Select(h => (h.ResourceId, h.ScanId)));
        Assert.Equal(2, _store.States.Count);
    }
}
