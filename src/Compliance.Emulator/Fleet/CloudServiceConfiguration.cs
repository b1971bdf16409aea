using System.Globalization;
using System.Xml;

namespace Compliance.Emulator;

/// <summary>
/// Reads the roles out of a Cloud Service's <c>.cscfg</c> for fleets that do not list them.
/// </summary>
internal static class CloudServiceConfiguration
{
    /// <summary>
    /// The roles of <c>&lt;Role name="..."&gt;&lt;Instances count="N"/&gt;</c> elements, in document
    /// order; none when the configuration does not parse, since it is served verbatim either way.
    /// </summary>
    public static IReadOnlyList<FleetCloudServiceRole> DeriveRoles(string configuration)
    {
        // The configuration may be hostile test input: no DTDs, no external resolution.
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
        };
        var roles = new List<FleetCloudServiceRole>();
        try
        {
            using var text = new StringReader(configuration);
            using var reader = XmlReader.Create(text, settings);
            string? role = null;
            var roleDepth = -1;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (role is not null && reader.Depth <= roleDepth)
                {
                    role = null;
                }

                if (reader.LocalName == "Role" && reader.GetAttribute("name") is { Length: > 0 } name)
                {
                    role = name;
                    roleDepth = reader.Depth;
                }
                else if (role is not null && reader.LocalName == "Instances"
                    && int.TryParse(reader.GetAttribute("count"), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    roles.Add(new FleetCloudServiceRole { Name = role, Instances = count });
                    role = null;
                }
            }
        }
        catch (XmlException)
        {
            return [];
        }

        return roles;
    }
}
