namespace Compliance.Azure.Tables;

/// <summary>What one action of a transaction does.</summary>
public enum TableTransactionActionType
{
    /// <summary>Inserts the entity; fails when it exists.</summary>
    Add,

    /// <summary>Merges into the existing entity; fails when it does not exist or its ETag differs.</summary>
    UpdateMerge,

    /// <summary>Replaces the existing entity; fails when it does not exist or its ETag differs.</summary>
    UpdateReplace,

    /// <summary>Deletes the entity; fails when it does not exist or its ETag differs.</summary>
    Delete,

    /// <summary>Inserts the entity or merges into the existing one.</summary>
    UpsertMerge,

    /// <summary>Inserts the entity or replaces the existing one.</summary>
    UpsertReplace,
}
