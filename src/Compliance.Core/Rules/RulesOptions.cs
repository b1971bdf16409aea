using System.ComponentModel.DataAnnotations;

namespace Compliance.Core.Rules;

/// <summary>Settings of the verdict rules (section <c>Compliance:Rules</c>).</summary>
public sealed class RulesOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Rules";

    /// <summary>The default tag that marks a resource as running untrusted code.</summary>
    public const string DefaultUntrustedCodeTagName = "compliance-untrusted-code";

    /// <summary>The tag whose value <c>true</c> marks a resource as running untrusted code.</summary>
    /// <value>Default: <c>compliance-untrusted-code</c>.</value>
    [Required]
    [MinLength(1)]
    [MaxLength(512)]
    public string UntrustedCodeTagName { get; set; } = DefaultUntrustedCodeTagName;

    /// <summary>
    /// The action a Linux later-variant finding (<c>LATER_VARIANT_VULNERABLE</c>) calls for: <c>None</c> (it stays
    /// informative) or <c>GuestUpdate</c>.
    /// </summary>
    /// <value>Default: <c>None</c>.</value>
    public LaterVariantPolicy LaterVariantAction { get; set; } = LaterVariantPolicy.None;
}
