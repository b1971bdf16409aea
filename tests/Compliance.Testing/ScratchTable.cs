using Azure.Data.Tables;

namespace Compliance.Testing;

/// <summary>A table one test owns: a random valid name, deleted at the end of the test.</summary>
public sealed class ScratchTable(TableClient client) : IAsyncDisposable
{
    public TableClient Client { get; } = client;

    /// <summary>Letters and digits, starting with a letter, 33 characters.</summary>
    public static string NewName() => "t" + Guid.NewGuid().ToString("N");

    public async ValueTask DisposeAsync() => await Client.DeleteAsync();
}
