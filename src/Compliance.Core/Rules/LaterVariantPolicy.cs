namespace Compliance.Core.Rules;

/// <summary>What a Linux later-variant hole (<c>LATER_VARIANT_VULNERABLE</c>) calls for.</summary>
public enum LaterVariantPolicy
{
    /// <summary>Nothing: the finding is informative (the January 2018 guidance does not cover later variants).</summary>
    None,

    /// <summary>Its remedy: a guest update, or <c>MitigationSettings</c> where only settings cause the holes.</summary>
    Remedy,

    /// <summary>The name this setting's non-default value had before <see cref="Remedy"/>; means the same.</summary>
    GuestUpdate = Remedy,
}
