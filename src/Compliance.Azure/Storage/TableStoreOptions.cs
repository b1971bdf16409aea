using System.ComponentModel.DataAnnotations;

namespace Compliance.Azure.Storage;

/// <summary>Where Compliance keeps its state (section <c>Compliance:Storage</c>).</summary>
public sealed class TableStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Storage";

    /// <summary>
    /// A storage connection string (Azurite, <c>UseDevelopmentStorage=true</c>, or an account key). Leave empty in Azure:
    /// <see cref="TableServiceUri"/> with managed identity is used instead.
    /// </summary>
    /// <value>Default: none.</value>
    public string? ConnectionString { get; set; }

    /// <summary>The Table service endpoint (<c>https://{account}.table.core.windows.net/</c>), reached with managed identity.</summary>
    /// <value>Default: none.</value>
    public Uri? TableServiceUri { get; set; }

    /// <summary>
    /// The Queue service endpoint of the same account (<c>https://{account}.queue.core.windows.net/</c>), reached with
    /// managed identity, for the batch queue when the app or the CLI runs scans itself.
    /// </summary>
    /// <value>Default: none.</value>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>A prefix for the table names (letters and digits), so several deployments can share an account.</summary>
    /// <value>Default: empty.</value>
    [RegularExpression("^[A-Za-z0-9]{0,20}$")]
    public string TablePrefix { get; set; } = string.Empty;

    /// <summary>Whether a store is configured at all.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || TableServiceUri is not null;
}
