using System.Globalization;
using System.Xml;

namespace Compliance.Core.Inventory;

/// <summary>
/// The Guest OS choice read from a Cloud Service's <c>.cscfg</c>: the <c>osFamily</c> and <c>osVersion</c>
/// attributes of the root <c>ServiceConfiguration</c> element (cscfg schema).
/// </summary>
public sealed record CloudServiceConfiguration(string? OsFamilyAttribute, string? OsVersionAttribute)
{
    /// <summary>The family Azure uses when neither <c>osFamily</c> nor a specific <c>osVersion</c> is given.</summary>
    public const int DefaultFamily = 1;

    // ARM's configuration strings are small documents; anything this large is not a real .cscfg.
    private const long MaxCharacters = 1_000_000;

    /// <summary>Whether the service follows the newest Guest OS of its family (<c>osVersion</c> absent, empty or <c>*</c>).</summary>
    public bool IsAutomaticUpgrade => string.IsNullOrWhiteSpace(OsVersionAttribute) || OsVersionAttribute.Trim() == "*";

    /// <summary>The pinned version, when <see cref="IsAutomaticUpgrade"/> is false and it parses.</summary>
    public GuestOsVersion? PinnedVersion =>
        !IsAutomaticUpgrade && GuestOsVersion.TryParse(OsVersionAttribute, out var version) ? version : null;

    /// <summary>
    /// The Guest OS family in effect: <c>osFamily</c> when given, else the family of a pinned version, else family 1
    /// (the documented default); <c>null</c> when <c>osFamily</c> is not a number.
    /// </summary>
    public int? Family
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(OsFamilyAttribute))
            {
                return int.TryParse(OsFamilyAttribute.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var family)
                    ? family
                    : null;
            }

            return PinnedVersion?.Family ?? DefaultFamily;
        }
    }

    /// <summary>
    /// Reads the root element's attributes. The XML comes from ARM and is treated as untrusted: no DTDs, no external
    /// resolution, bounded size.
    /// </summary>
    /// <returns>The configuration, or an error message when the string is not a readable <c>.cscfg</c>.</returns>
    public static (CloudServiceConfiguration? Configuration, string? Error) Parse(string? xml)
    {
        if (string.IsNullOrWhiteSpace(xml))
        {
            return (null, "the Cloud Service has no configuration");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharacters,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };

        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "ServiceConfiguration")
            {
                return (null, $"the configuration's root element is '{reader.LocalName}', not 'ServiceConfiguration'");
            }

            return (new CloudServiceConfiguration(reader.GetAttribute("osFamily"), reader.GetAttribute("osVersion")), null);
        }
        catch (XmlException ex)
        {
            return (null, $"the configuration is not well-formed XML ({ex.Message})");
        }
    }
}
