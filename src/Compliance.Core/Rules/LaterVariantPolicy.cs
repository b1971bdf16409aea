namespace Compliance.Core.Rules;

/// <summary>What a vulnerable later variant on Linux calls for.</summary>
public enum LaterVariantPolicy
{
    /// <summary>Nothing: the finding is informative (the January 2018 guidance does not cover later variants).</summary>
    None,

    /// <summary>A guest update.</summary>
    GuestUpdate,
}
