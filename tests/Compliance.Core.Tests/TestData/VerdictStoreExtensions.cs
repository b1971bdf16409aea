using Compliance.Core.Storage;

namespace Compliance.Core.Tests.TestData;

public static class VerdictStoreExtensions
{
    /// <summary>Stores <paramref name="state"/> over whatever is stored for its resource, as another writer would.</summary>
    public static async Task PutAsync(this IVerdictStore store, ResourceState state)
    {
        var current = await store.GetStateAsync(state.ResourceId, CancellationToken.None);
        var result = Assert.Single(await store.WriteStatesAsync([new StateWrite(state, current?.ETag)], CancellationToken.None));
        Assert.True(result.Written);
    }
}
