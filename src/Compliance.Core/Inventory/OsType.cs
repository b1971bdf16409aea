namespace Compliance.Core.Inventory;

/// <summary>The guest operating system family as ARM reports it.</summary>
public enum OsType
{
    /// <summary>Windows.</summary>
    Windows,

    /// <summary>Linux.</summary>
    Linux,
}
