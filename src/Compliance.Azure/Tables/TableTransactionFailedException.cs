using Azure;
using Azure.Core;

namespace Compliance.Azure.Tables;

/// <summary>
/// A transaction the service refused as a whole: none of its actions were applied. <see cref="RequestFailedException.Status"/>
/// and <see cref="RequestFailedException.ErrorCode"/> are those of the failing action.
/// </summary>
public sealed class TableTransactionFailedException : RequestFailedException
{
    internal TableTransactionFailedException(Response response, int? failedTransactionActionIndex, RequestFailedDetailsParser detailsParser)
        : base(response, null, detailsParser)
    {
        FailedTransactionActionIndex = failedTransactionActionIndex;
    }

    /// <summary>The zero-based index of the action that failed, or null when the service did not say.</summary>
    public int? FailedTransactionActionIndex { get; }
}
