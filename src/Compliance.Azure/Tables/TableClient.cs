using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Compliance.Azure.Tables;

/// <summary>
/// A client of one table of the Azure Table service (or Azurite), shaped like <c>Azure.Data.Tables.TableClient</c>: the
/// same type, method names and semantics, so that swapping in the official package is mechanical. Every failing call
/// throws <see cref="RequestFailedException"/> with the HTTP status and the service's error code.
/// </summary>
public partial class TableClient
{
    private const string StorageScope = "https://storage.azure.com/.default";

    private readonly TableRestClient? _rest;

    /// <summary>For mocking only: every call of an instance made this way throws <see cref="InvalidOperationException"/>.</summary>
    protected TableClient()
    {
        Name = string.Empty;
    }

    /// <summary>Creates a client from a storage connection string that carries an account key.</summary>
    /// <param name="connectionString">
    /// <c>UseDevelopmentStorage=true</c>, <c>DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=…</c>,
    /// or any form with an explicit <c>TableEndpoint=…</c>.
    /// </param>
    /// <param name="tableName">The table: letters and digits, starting with a letter, 3 to 63 characters.</param>
    /// <param name="options">Pipeline options.</param>
    /// <exception cref="ArgumentException">The connection string is malformed or has no key; the message never contains the key.</exception>
    public TableClient(string connectionString, string tableName, TableClientOptions? options = null)
        : this(TableConnectionString.Parse(connectionString), tableName, options)
    {
    }

    /// <summary>Creates a client that signs requests with the account key.</summary>
    /// <param name="serviceEndpoint">The Table endpoint, e.g. <c>https://account.table.core.windows.net</c> or Azurite's <c>http://127.0.0.1:10002/devstoreaccount1</c>.</param>
    /// <param name="tableName">The table: letters and digits, starting with a letter, 3 to 63 characters.</param>
    /// <param name="credential">The account name and key.</param>
    /// <param name="options">Pipeline options.</param>
    public TableClient(Uri serviceEndpoint, string tableName, TableSharedKeyCredential credential, TableClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        CheckEndpoint(serviceEndpoint);
        CheckTableName(tableName);
        Name = tableName;
        _rest = new TableRestClient(
            HttpPipelineBuilder.Build(options ?? new TableClientOptions(), new TableSharedKeyPolicy(credential)),
            serviceEndpoint,
            tableName);
    }

    /// <summary>
    /// Creates a client that authenticates with Microsoft Entra ID tokens for <c>https://storage.azure.com/.default</c>.
    /// Bearer tokens are only ever sent over HTTPS.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="serviceEndpoint"/> is not HTTPS.</exception>
    public TableClient(Uri serviceEndpoint, string tableName, TokenCredential credential, TableClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        CheckEndpoint(serviceEndpoint);
        if (serviceEndpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("A token credential needs an https endpoint: bearer tokens are never sent in the clear.", nameof(serviceEndpoint));
        }

        CheckTableName(tableName);
        Name = tableName;
        _rest = new TableRestClient(
            HttpPipelineBuilder.Build(options ?? new TableClientOptions(), new BearerTokenAuthenticationPolicy(credential, StorageScope)),
            serviceEndpoint,
            tableName);
    }

    private TableClient(TableConnectionString connectionString, string tableName, TableClientOptions? options)
        : this(connectionString.TableEndpoint, tableName, connectionString.Credential, options)
    {
    }

    /// <summary>The table's name.</summary>
    public virtual string Name { get; }

    private TableRestClient Rest => _rest ?? throw new InvalidOperationException($"This {nameof(TableClient)} was made for mocking and cannot send requests.");

    /// <summary>Creates the table; a table that already exists (409 <c>TableAlreadyExists</c>) counts as success.</summary>
    public virtual Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        Rest.CreateTableIfNotExistsAsync(cancellationToken);

    /// <summary>Deletes the table and its entities; a table that does not exist (404) counts as success.</summary>
    public virtual Task<Response> DeleteAsync(CancellationToken cancellationToken = default) =>
        Rest.DeleteTableAsync(cancellationToken);

    /// <summary>Inserts an entity; 409 <c>EntityAlreadyExists</c> when one with the same keys exists.</summary>
    /// <exception cref="ArgumentException">A property has a type Table storage cannot store.</exception>
    public virtual Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default) =>
        Rest.AddEntityAsync(entity, cancellationToken);

    /// <summary>Reads an entity; 404 <c>ResourceNotFound</c> when it does not exist.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="select">The properties to return; null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public virtual Task<Response<TableEntity>> GetEntityAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) =>
        Rest.GetEntityAsync(partitionKey, rowKey, select, cancellationToken);

    /// <summary>Reads an entity; a response without a value when it does not exist.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="rowKey">The row key.</param>
    /// <param name="select">The properties to return; null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public virtual Task<NullableResponse<TableEntity>> GetEntityIfExistsAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) =>
        Rest.GetEntityIfExistsAsync(partitionKey, rowKey, select, cancellationToken);

    /// <summary>Inserts the entity, or merges it into (or replaces) the existing one, whatever its ETag.</summary>
    /// <exception cref="ArgumentException">A property has a type Table storage cannot store.</exception>
    public virtual Task<Response> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        Rest.WriteEntityAsync(entity, mode, null, cancellationToken);

    /// <summary>
    /// Merges the entity into (or replaces) the existing one if its ETag is still <paramref name="ifMatch"/>
    /// (<see cref="ETag.All"/>: any). 412 <c>UpdateConditionNotSatisfied</c> when it changed since it was read, 404 when
    /// it does not exist. The new ETag is in the response's <c>ETag</c> header.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="ifMatch"/> is default, or a property has a type Table storage cannot store.</exception>
    public virtual Task<Response> UpdateEntityAsync(
        TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        if (ifMatch == default)
        {
            throw new ArgumentException("An update needs the ETag the entity must still have (ETag.All for any).", nameof(ifMatch));
        }

        return Rest.WriteEntityAsync(entity, mode, ifMatch, cancellationToken);
    }

    /// <summary>Deletes an entity if its ETag is still <paramref name="ifMatch"/> (default: any); one that does not exist (404) counts as success.</summary>
    public virtual Task<Response> DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default) =>
        Rest.DeleteEntityAsync(partitionKey, rowKey, ifMatch, cancellationToken);

    /// <summary>
    /// Queries entities, one request per page, following the service's continuation headers. Build
    /// <paramref name="filter"/> with <see cref="TableFilter.Create"/>.
    /// </summary>
    /// <param name="filter">An OData filter; null for all entities.</param>
    /// <param name="maxPerPage">The most entities per page (<c>$top</c>), 1 to 1000; null lets the service choose (1000).</param>
    /// <param name="select">The properties to return; null for all.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public virtual AsyncPageable<TableEntity> QueryAsync(
        string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) =>
        Rest.Query(filter, maxPerPage, select, cancellationToken);

    /// <summary>
    /// Submits up to 100 actions on one partition as one atomic transaction (an entity group transaction). On failure
    /// nothing is applied and <see cref="TableTransactionFailedException"/> tells which action failed. Updates and
    /// deletes with a default ETag apply whatever the stored ETag (If-Match: *); they never insert.
    /// </summary>
    /// <returns>One response per action, in order, with the new ETags.</returns>
    /// <exception cref="ArgumentException">No action, more than 100, more than one PartitionKey, or a value Table storage cannot store; nothing was sent.</exception>
    public virtual Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(
        IEnumerable<TableTransactionAction> transactionActions, CancellationToken cancellationToken = default) =>
        Rest.SubmitTransactionAsync(transactionActions, cancellationToken);

    private static void CheckEndpoint(Uri serviceEndpoint)
    {
        ArgumentNullException.ThrowIfNull(serviceEndpoint);
        if (!serviceEndpoint.IsAbsoluteUri || (serviceEndpoint.Scheme != Uri.UriSchemeHttps && serviceEndpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The Table endpoint must be an absolute http or https URL.", nameof(serviceEndpoint));
        }
    }

    private static void CheckTableName(string tableName)
    {
        ArgumentNullException.ThrowIfNull(tableName);
        if (!ValidTableName().IsMatch(tableName))
        {
            throw new ArgumentException(
                $"'{tableName}' is not a valid table name: letters and digits only, starting with a letter, 3 to 63 characters.", nameof(tableName));
        }
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]{2,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidTableName();
}
