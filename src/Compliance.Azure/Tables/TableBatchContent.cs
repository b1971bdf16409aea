using System.Text;
using Azure;

namespace Compliance.Azure.Tables;

/// <summary>
/// The <c>multipart/mixed</c> body of an entity group transaction: one batch part holding one changeset, with one
/// <c>application/http</c> part per action. Boundaries are <c>batch_{guid}</c> and <c>changeset_{guid}</c>, the form
/// the service documents and the only one Azurite recognises; each entity is one line of JSON.
/// </summary>
internal sealed class TableBatchContent
{
    private const string Crlf = "\r\n";

    private TableBatchContent(string contentType, byte[] body)
    {
        ContentType = contentType;
        Body = body;
    }

    /// <summary>The request's Content-Type, with the batch boundary.</summary>
    public string ContentType { get; }

    public byte[] Body { get; }

    public static TableBatchContent Create(string tableUrl, IReadOnlyList<TableTransactionAction> actions)
    {
        var batch = $"batch_{Guid.NewGuid():D}";
        var changeset = $"changeset_{Guid.NewGuid():D}";
        var text = new StringBuilder();
        text.Append("--").Append(batch).Append(Crlf)
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append(Crlf)
            .Append(Crlf);
        foreach (var action in actions)
        {
            var (method, url, ifMatch, withBody) = Describe(tableUrl, action);
            text.Append("--").Append(changeset).Append(Crlf)
                .Append("Content-Type: application/http").Append(Crlf)
                .Append("Content-Transfer-Encoding: binary").Append(Crlf)
                .Append(Crlf)
                .Append(method).Append(' ').Append(url).Append(" HTTP/1.1").Append(Crlf)
                .Append("Accept: ").Append(TableRestClient.AcceptJson).Append(Crlf)
                .Append("DataServiceVersion: 3.0").Append(Crlf);
            if (ifMatch is not null)
            {
                text.Append("If-Match: ").Append(ifMatch).Append(Crlf);
            }

            if (action.ActionType == TableTransactionActionType.Add)
            {
                text.Append("Prefer: return-no-content").Append(Crlf);
            }

            if (withBody)
            {
                text.Append("Content-Type: application/json").Append(Crlf)
                    .Append(Crlf)
                    .Append(Encoding.UTF8.GetString(TableEntityJson.Write(action.Entity))).Append(Crlf);
            }
            else
            {
                text.Append(Crlf);
            }
        }

        text.Append("--").Append(changeset).Append("--").Append(Crlf)
            .Append(Crlf)
            .Append("--").Append(batch).Append("--").Append(Crlf);
        return new TableBatchContent($"multipart/mixed; boundary={batch}", Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static (string Method, string Url, string? IfMatch, bool WithBody) Describe(string tableUrl, TableTransactionAction action)
    {
        var entity = action.Entity;
        var entityUrl = tableUrl + TableRestClient.EntityKeyPath(entity.PartitionKey, entity.RowKey);
        var condition = action.ETag == default ? ETag.All.ToString() : action.ETag.ToString();
        return action.ActionType switch
        {
            TableTransactionActionType.Add => ("POST", tableUrl, null, true),
            TableTransactionActionType.UpdateMerge => ("PATCH", entityUrl, condition, true),
            TableTransactionActionType.UpdateReplace => ("PUT", entityUrl, condition, true),
            TableTransactionActionType.Delete => ("DELETE", entityUrl, condition, false),
            TableTransactionActionType.UpsertMerge => ("PATCH", entityUrl, null, true),
            TableTransactionActionType.UpsertReplace => ("PUT", entityUrl, null, true),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action.ActionType, "Unknown transaction action type."),
        };
    }
}
