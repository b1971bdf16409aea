using Azure.Core;
using Azure.Data.Tables;

namespace Compliance.Azure.Storage;

/// <summary>
/// The tables of the stores, reached by connection string or by Table service URI with a token credential. The stores
/// share one instance, and with it one creation of the tables: the first use of any store creates them all.
/// </summary>
public sealed class TableStoreTables
{
    private readonly Lock _gate = new();
    private Task? _created;

    private TableStoreTables(Func<string, TableClient> client, string prefix)
    {
        States = client(prefix + "ComplianceState");
        History = client(prefix + "ComplianceHistory");
        Scans = client(prefix + "Scans");
        Summary = client(prefix + "Summary");
        Events = client(prefix + "HandledEvents");
        Exemptions = client(prefix + "Exemptions");
        ExemptionHistory = client(prefix + "ExemptionHistory");
        RemediationPlans = client(prefix + "RemediationPlans");
        RemediationSteps = client(prefix + "RemediationSteps");
    }

    /// <summary>One row per resource.</summary>
    public TableClient States { get; }

    /// <summary>One row per change.</summary>
    public TableClient History { get; }

    /// <summary>One row per scan.</summary>
    public TableClient Scans { get; }

    /// <summary>The summary counters.</summary>
    public TableClient Summary { get; }

    /// <summary>The ids of resource events already handled.</summary>
    public TableClient Events { get; }

    /// <summary>One row per exemption.</summary>
    public TableClient Exemptions { get; }

    /// <summary>One row per change of an exemption, a partition per exemption.</summary>
    public TableClient ExemptionHistory { get; }

    /// <summary>One row per remediation plan.</summary>
    public TableClient RemediationPlans { get; }

    /// <summary>One row per machine of a remediation plan, partitioned by plan.</summary>
    public TableClient RemediationSteps { get; }

    /// <summary>Every table of the store.</summary>
    public IReadOnlyList<TableClient> All => [States, History, Scans, Summary, Events, Exemptions, ExemptionHistory, RemediationPlans, RemediationSteps];

    /// <summary>
    /// Creates every table that does not exist yet, once for this instance: later calls wait for that creation, or,
    /// when it failed, try it again.
    /// </summary>
    internal Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        Task created;
        lock (_gate)
        {
            // A failure is not kept: storage that was unreachable, or a role assignment not yet in effect, at the first
            // use would otherwise fail every later use until the process restarts.
            if (_created is null || _created.IsFaulted || _created.IsCanceled)
            {
                _created = Task.WhenAll(All.Select(t => t.CreateIfNotExistsAsync()));
            }

            created = _created;
        }

        return created.WaitAsync(cancellationToken);
    }

    /// <summary>The tables for <paramref name="options"/>; the credential is used only without a connection string.</summary>
    public static TableStoreTables Create(TableStoreOptions options, TokenCredential credential, TableClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var connectionString = options.ConnectionString;
            return new TableStoreTables(name => new TableClient(connectionString, name, clientOptions), options.TablePrefix);
        }

        var uri = options.TableServiceUri ?? throw new InvalidOperationException("Compliance:Storage needs a ConnectionString or a TableServiceUri.");
        return new TableStoreTables(name => new TableClient(uri, name, credential, clientOptions), options.TablePrefix);
    }
}
