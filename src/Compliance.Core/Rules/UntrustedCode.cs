using Compliance.Core.Guest;
using Compliance.Core.Inventory;

namespace Compliance.Core.Rules;

/// <summary>
/// Whether a resource runs untrusted code in the sense of the Azure guidance: the guest reports the RDS session host
/// role, the Hyper-V role (a nested virtualization host) or the Containers feature, or the resource carries the
/// untrusted-code tag with the value <c>true</c>.
/// </summary>
/// <param name="Features">The guest roles/features that count.</param>
/// <param name="TagName">The tag name as the resource spells it, when the tag marks it.</param>
/// <param name="TagValue">The tag value, when the tag marks it.</param>
public sealed record UntrustedCode(IReadOnlyList<string> Features, string? TagName, string? TagValue)
{
    /// <summary>The Windows roles and features that mean untrusted code runs on the machine.</summary>
    public static IReadOnlyList<string> UntrustedFeatures { get; } = ["RDS-RD-Server", "Hyper-V", "Containers"];

    /// <summary>Whether the resource counts as running untrusted code.</summary>
    public bool IsUntrusted => Features.Count > 0 || TagName is not null;

    /// <summary>A human list of the reasons, for messages.</summary>
    public string Reasons
    {
        get
        {
            var reasons = new List<string>();
            foreach (var feature in Features)
            {
                reasons.Add(feature switch
                {
                    "RDS-RD-Server" => "it is a Remote Desktop Session Host (RDS-RD-Server)",
                    "Hyper-V" => "it is a Hyper-V (nested virtualization) host",
                    "Containers" => "it hosts containers",
                    _ => $"it has the {feature} feature",
                });
            }

            if (TagName is not null)
            {
                reasons.Add($"it is tagged {TagName}={TagValue}");
            }

            return string.Join("; ", reasons);
        }
    }

    /// <summary>Evaluates a resource and, for Windows machines, the roles its guest reported.</summary>
    public static UntrustedCode Evaluate(InventoryResource resource, GuestReport? report, RulesOptions options)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(options);

        var features = new List<string>();
        if (report is WindowsGuestReport windows)
        {
            foreach (var known in UntrustedFeatures)
            {
                if (windows.Features.Any(f => string.Equals(f?.Trim(), known, StringComparison.OrdinalIgnoreCase)))
                {
                    features.Add(known);
                }
            }
        }

        string? tagName = null;
        string? tagValue = null;
        foreach (var (key, value) in resource.Tags)
        {
            // Tag names are case-insensitive in ARM; "true" is accepted in any case, anything else (including
            // "false", "yes", "1") does not mark the resource.
            if (string.Equals(key, options.UntrustedCodeTagName, StringComparison.OrdinalIgnoreCase)
                && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
            {
                tagName = key;
                tagValue = value;
                break;
            }
        }

        return new UntrustedCode(features, tagName, tagValue);
    }
}
