using Azure;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;

namespace Compliance.Testing;

/// <summary>
/// The tables of the stores under a prefix of their own on an Azurite shared with other tests (one test's, or one app
/// under test's); deleted when disposed.
/// </summary>
public sealed class ScratchStoreTables : IAsyncDisposable
{
    /// <summary>Tables on the Azurite of <paramref name="azurite"/>.</summary>
    public ScratchStoreTables(AzuriteFixture azurite)
        : this(azurite.ConnectionString)
    {
    }

    /// <summary>Tables on the storage of <paramref name="connectionString"/>.</summary>
    public ScratchStoreTables(string connectionString)
    {
        Prefix = "s" + Guid.NewGuid().ToString("N")[..12];
        Tables = TableStoreTables.Create(
            new TableStoreOptions { ConnectionString = connectionString, TablePrefix = Prefix },
            new StaticTokenCredential("unused: the connection string signs"));
    }

    /// <summary>The table prefix (<c>Compliance:Storage:TablePrefix</c>).</summary>
    public string Prefix { get; }

    public TableStoreTables Tables { get; }

    /// <summary>A batch queue of the same scratch's own (<c>Compliance:Queue:QueueName</c>).</summary>
    public string BatchQueueName => Prefix + "-batches";

    /// <summary>A resource-change queue of the same scratch's own (<c>Compliance:Events:QueueName</c>).</summary>
    public string EventsQueueName => Prefix + "-changes";

    /// <summary>A remediation queue of the same scratch's own (<c>Compliance:Remediation:QueueName</c>).</summary>
    public string RemediationQueueName => Prefix + "-remediations";

    /// <summary>A re-check queue of the same scratch's own (<c>Compliance:Events:RecheckQueueName</c>).</summary>
    public string RecheckQueueName => Prefix + "-rechecks";

    /// <summary>
    /// The settings every app under test starts from, whichever host runs it: ARM is <paramref name="emulator"/> with
    /// short retries, the tables and queues are this scratch's, no schedule fires, and no caller is rate limited.
    /// The store's connection is the host's to add (<c>Compliance:Storage:ConnectionString</c> or <c>AzureWebJobsStorage</c>).
    /// </summary>
    public Dictionary<string, string?> AppSettings(Compliance.Emulator.ArmEmulator emulator, string eventsQueueName) => new()
    {
        ["Compliance:Arm:Endpoint"] = emulator.Endpoint.ToString(),
        ["Compliance:Arm:RetryDelay"] = "00:00:00.010",
        ["Compliance:Arm:RunCommandConflictBackoff"] = "00:00:00.010",
        ["Compliance:Storage:TablePrefix"] = Prefix,
        // Queues of its own too, so that no other app on this Azurite takes its batches or its events.
        ["Compliance:Queue:QueueName"] = BatchQueueName,
        ["Compliance:Events:QueueName"] = eventsQueueName,
        ["Compliance:Events:RecheckQueueName"] = RecheckQueueName,
        ["Compliance:Remediation:QueueName"] = RemediationQueueName,
        // Re-checks at once: the tests of coalescing set their own window.
        ["Compliance:Events:RecheckDelay"] = "00:00:00",
        // A machine whose agent is not ready is stored as such at once: the tests of settling set their own schedule.
        ["Compliance:Events:SettleRetries"] = "",
        // Tests start scans one after another; the tests of the bound set their own.
        ["Compliance:Scan:MaxStartsPerHour"] = "60",
        // A schedule that does not fire during a test: the tests start scans themselves.
        ["Compliance:Scan:Schedule"] = "0 0 0 1 1 *",
        // Tests poll the API faster than any caller should; the tests of the limit set their own.
        ["Compliance:Api:RequestsPerMinute"] = "100000",
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Deleting a table that was never created answers 404, which the client does not throw for.
            await Task.WhenAll(Tables.All.Select(t => t.DeleteAsync()));
        }
        catch (RequestFailedException)
        {
            // The Azurite of a test that stopped its own may be gone already: nothing is left to delete.
        }
    }
}
