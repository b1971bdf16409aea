using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Compliance.Azure.Tables;

/// <summary>
/// The Table service REST calls of one table, on an Azure.Core <see cref="HttpPipeline"/>: OData JSON with minimal
/// metadata, <c>x-ms-version</c> 2019-02-02 and DataServiceVersion 3.0.
/// </summary>
internal sealed class TableRestClient
{
    internal const string AcceptJson = "application/json;odata=minimalmetadata";
    internal const string ApiVersion = "2019-02-02";
    internal const int MaxTransactionActions = 100;
    internal const int MaxPageSize = 1000;

    private static readonly TableErrorParser _errors = new();

    private readonly HttpPipeline _pipeline;

    /// <summary>The service endpoint without a trailing '/', e.g. <c>http://127.0.0.1:10002/devstoreaccount1</c>.</summary>
    private readonly string _serviceUrl;

    private readonly string _tableName;

    public TableRestClient(HttpPipeline pipeline, Uri serviceEndpoint, string tableName)
    {
        _pipeline = pipeline;
        _serviceUrl = serviceEndpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _tableName = tableName;
    }

    private string TableUrl => $"{_serviceUrl}/{_tableName}";

    /// <summary>The key segment of an entity's URL: quotes doubled (OData), then percent-encoded.</summary>
    internal static string EntityKeyPath(string partitionKey, string rowKey) =>
        $"(PartitionKey='{Uri.EscapeDataString(partitionKey.Replace("'", "''", StringComparison.Ordinal))}',"
        + $"RowKey='{Uri.EscapeDataString(rowKey.Replace("'", "''", StringComparison.Ordinal))}')";

    public async Task<Response> CreateTableIfNotExistsAsync(CancellationToken cancellationToken)
    {
        var message = CreateMessage(RequestMethod.Post, $"{_serviceUrl}/Tables");
        SetJsonBody(message, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = _tableName }));
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is 201 or 204
            || (response.Status == 409 && TableErrorParser.Read(response).Code == "TableAlreadyExists"))
        {
            return response;
        }

        throw new RequestFailedException(response, null, _errors);
    }

    public async Task<Response> DeleteTableAsync(CancellationToken cancellationToken)
    {
        var message = CreateMessage(RequestMethod.Delete, $"{_serviceUrl}/Tables('{Uri.EscapeDataString(_tableName)}')");
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status is 204 or 404 ? response : throw new RequestFailedException(response, null, _errors);
    }

    public async Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var body = TableEntityJson.Write(entity);
        var message = CreateMessage(RequestMethod.Post, TableUrl);
        SetJsonBody(message, body);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status is 201 or 204 ? response : throw new RequestFailedException(response, null, _errors);
    }

    public async Task<Response<TableEntity>> GetEntityAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        var response = await ReadEntityAsync(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        return response.Status == 200 ? Response.FromValue(ParseEntity(response), response) : throw new RequestFailedException(response, null, _errors);
    }

    public async Task<NullableResponse<TableEntity>> GetEntityIfExistsAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        var response = await ReadEntityAsync(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            200 => Response.FromValue(ParseEntity(response), response),
            404 => new AbsentEntityResponse(response),
            _ => throw new RequestFailedException(response, null, _errors),
        };
    }

    private async Task<Response> ReadEntityAsync(string partitionKey, string rowKey, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        var message = CreateMessage(RequestMethod.Get, TableUrl + EntityKeyPath(partitionKey, rowKey));
        AppendSelect(message, select);
        return await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private static TableEntity ParseEntity(Response response)
    {
        using var json = JsonDocument.Parse(response.Content.ToMemory());
        var entity = TableEntityJson.Read(json.RootElement);
        if (entity.ETag == default && response.Headers.TryGetValue("ETag", out var etag))
        {
            entity.ETag = new ETag(etag);
        }

        return entity;
    }

    public async Task<Response> WriteEntityAsync(TableEntity entity, TableUpdateMode mode, ETag? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var method = mode switch
        {
            TableUpdateMode.Merge => RequestMethod.Patch,
            TableUpdateMode.Replace => RequestMethod.Put,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown update mode."),
        };
        var body = TableEntityJson.Write(entity);
        var message = CreateMessage(method, TableUrl + EntityKeyPath(entity.PartitionKey, entity.RowKey));
        SetJsonBody(message, body);
        if (ifMatch is { } condition)
        {
            // Without If-Match, PUT and PATCH are upserts; with it they only update.
            message.Request.Headers.SetValue("If-Match", condition.ToString());
        }

        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status == 204 ? response : throw new RequestFailedException(response, null, _errors);
    }

    public async Task<Response> DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        var message = CreateMessage(RequestMethod.Delete, TableUrl + EntityKeyPath(partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", (ifMatch == default ? ETag.All : ifMatch).ToString());
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status is 204 or 404 ? response : throw new RequestFailedException(response, null, _errors);
    }

    public AsyncPageable<TableEntity> Query(string? filter, int? maxPerPage, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        CheckPageSize(maxPerPage, nameof(maxPerPage));
        var selected = select?.ToList();
        return new TableEntityPageable(
            (continuationToken, pageSize, token) => QueryPageAsync(filter, pageSize, selected, continuationToken, token),
            maxPerPage,
            cancellationToken);
    }

    private async Task<Page<TableEntity>> QueryPageAsync(
        string? filter, int? pageSize, IReadOnlyList<string>? select, string? continuationToken, CancellationToken cancellationToken)
    {
        CheckPageSize(pageSize, "pageSizeHint");
        var message = CreateMessage(RequestMethod.Get, TableUrl + "()");
        var uri = message.Request.Uri;
        if (!string.IsNullOrEmpty(filter))
        {
            uri.AppendQuery("$filter", filter, escapeValue: true);
        }

        AppendSelect(message, select);
        if (pageSize is { } top)
        {
            uri.AppendQuery("$top", top.ToString(CultureInfo.InvariantCulture), escapeValue: true);
        }

        if (TableContinuationToken.Parse(continuationToken) is { } resume)
        {
            uri.AppendQuery("NextPartitionKey", resume.NextPartitionKey, escapeValue: true);
            if (resume.NextRowKey is not null)
            {
                uri.AppendQuery("NextRowKey", resume.NextRowKey, escapeValue: true);
            }
        }

        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 200)
        {
            throw new RequestFailedException(response, null, _errors);
        }

        var entities = new List<TableEntity>();
        using (var json = JsonDocument.Parse(response.Content.ToMemory()))
        {
            if (json.RootElement.TryGetProperty("value", out var values) && values.ValueKind == JsonValueKind.Array)
            {
                foreach (var value in values.EnumerateArray())
                {
                    entities.Add(TableEntityJson.Read(value));
                }
            }
        }

        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPartitionKey);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRowKey);
        var next = TableContinuationToken.FromHeaders(nextPartitionKey, nextRowKey);
        return Page<TableEntity>.FromValues(entities, next?.ToString(), response);
    }

    public async Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(
        IEnumerable<TableTransactionAction> transactionActions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactionActions);
        var actions = transactionActions.ToList();
        CheckTransaction(actions);
        var content = TableBatchContent.Create(TableUrl, actions);
        var message = CreateMessage(RequestMethod.Post, $"{_serviceUrl}/$batch");
        message.Request.Headers.SetValue("Content-Type", content.ContentType);
        message.Request.Content = RequestContent.Create(content.Body);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 202)
        {
            throw new RequestFailedException(response, null, _errors);
        }

        response.Headers.TryGetValue("Content-Type", out var contentType);
        var results = TableBatchResponseReader.Read(contentType, response.Content.ToArray(), response.ClientRequestId);
        if (results.FirstOrDefault(r => r.Status >= 400) is { } failed)
        {
            throw Failed(actions, results, failed);
        }

        if (results.Count != actions.Count)
        {
            throw new RequestFailedException(
                response.Status,
                $"The Table service answered a transaction of {actions.Count} actions with {results.Count} responses.");
        }

        return Response.FromValue<IReadOnlyList<Response>>(results, response);
    }

    /// <summary>
    /// The exception for a refused transaction, with the index of the failing action: from the "N:" the service puts
    /// before its message, else from the failed part's Content-ID (1-based, which Azurite always sets), else from its
    /// position when the service answered every action.
    /// </summary>
    private static TableTransactionFailedException Failed(
        List<TableTransactionAction> actions, List<TableSubResponse> results, TableSubResponse failed)
    {
        var (_, serviceMessage) = TableErrorParser.Read(failed);
        var index = TableBatchResponseReader.IndexFromMessage(serviceMessage);
        if (index is null && failed.Headers.TryGetValue("Content-ID", out var contentId)
            && int.TryParse(contentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            index = id - 1;
        }

        if (index is null && results.Count == actions.Count)
        {
            index = results.IndexOf(failed);
        }

        if (index is not { } i || i < 0 || i >= actions.Count)
        {
            return new TableTransactionFailedException(
                failed, null, new TableErrorParser($"The transaction of {actions.Count} actions failed and none was applied"));
        }

        var action = actions[i];
        var context = $"Transaction action {i} ({action.ActionType} of PartitionKey '{action.Entity.PartitionKey}', "
            + $"RowKey '{action.Entity.RowKey}') failed, so none of the {actions.Count} actions were applied";
        return new TableTransactionFailedException(failed, i, new TableErrorParser(context));
    }

    private static void CheckTransaction(List<TableTransactionAction> actions)
    {
        if (actions.Count == 0)
        {
            throw new ArgumentException("A transaction needs at least one action.", "transactionActions");
        }

        if (actions.Count > MaxTransactionActions)
        {
            throw new ArgumentException(
                $"A transaction holds at most {MaxTransactionActions} actions; this one has {actions.Count}.", "transactionActions");
        }

        if (actions.Exists(a => a is null))
        {
            throw new ArgumentException("A transaction action is null.", "transactionActions");
        }

        var partitionKey = actions[0].Entity.PartitionKey;
        var other = actions.FindIndex(a => !string.Equals(a.Entity.PartitionKey, partitionKey, StringComparison.Ordinal));
        if (other >= 0)
        {
            throw new ArgumentException(
                $"All actions of a transaction must share one PartitionKey; action {other} has '{actions[other].Entity.PartitionKey}', "
                + $"action 0 has '{partitionKey}'.",
                "transactionActions");
        }

        foreach (var action in actions.Where(a => a.ActionType != TableTransactionActionType.Delete))
        {
            // Serialising now reports a bad value before anything is sent.
            _ = TableEntityJson.Write(action.Entity);
        }
    }

    private static void CheckPageSize(int? pageSize, string parameterName)
    {
        if (pageSize is { } size && (size < 1 || size > MaxPageSize))
        {
            throw new ArgumentOutOfRangeException(parameterName, size, $"A page holds 1 to {MaxPageSize} entities.");
        }
    }

    private HttpMessage CreateMessage(RequestMethod method, string url)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri(url));
        request.Headers.SetValue("Accept", AcceptJson);
        request.Headers.SetValue("x-ms-version", ApiVersion);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0");
        return message;
    }

    private static void SetJsonBody(HttpMessage message, byte[] body)
    {
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Content = RequestContent.Create(body);
    }

    private static void AppendSelect(HttpMessage message, IEnumerable<string>? select)
    {
        if (select is null)
        {
            return;
        }

        var names = string.Join(",", select);
        if (names.Length > 0)
        {
            message.Request.Uri.AppendQuery("$select", names, escapeValue: true);
        }
    }

    /// <remarks>
    /// The message is not disposed: that would dispose the buffered response the callers return (or attach to the
    /// exception they throw); the response's owner disposes it.
    /// </remarks>
    private async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }
}
