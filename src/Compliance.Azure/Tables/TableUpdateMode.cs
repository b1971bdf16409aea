namespace Compliance.Azure.Tables;

/// <summary>How an update or upsert treats the properties the stored entity has and the sent one lacks.</summary>
public enum TableUpdateMode
{
    /// <summary>Keep them: only the sent properties are written.</summary>
    Merge,

    /// <summary>Drop them: the stored entity becomes exactly the sent one.</summary>
    Replace,
}
