using Azure;

namespace Compliance.Azure.Tables;

/// <summary>One action of a transaction submitted with <see cref="TableClient.SubmitTransactionAsync"/>.</summary>
public sealed class TableTransactionAction
{
    /// <summary>Creates an action.</summary>
    /// <param name="actionType">What the action does.</param>
    /// <param name="entity">The entity it acts on.</param>
    /// <param name="etag">
    /// For updates and deletes, the ETag the stored entity must still have; default means any (<see cref="ETag.All"/>).
    /// Ignored by adds and upserts.
    /// </param>
    public TableTransactionAction(TableTransactionActionType actionType, TableEntity entity, ETag etag = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (!Enum.IsDefined(actionType))
        {
            throw new ArgumentOutOfRangeException(nameof(actionType), actionType, "Unknown transaction action type.");
        }

        ActionType = actionType;
        Entity = entity;
        ETag = etag;
    }

    /// <summary>What the action does.</summary>
    public TableTransactionActionType ActionType { get; }

    /// <summary>The entity it acts on.</summary>
    public TableEntity Entity { get; }

    /// <summary>The ETag condition of an update or delete; default means any.</summary>
    public ETag ETag { get; }
}
