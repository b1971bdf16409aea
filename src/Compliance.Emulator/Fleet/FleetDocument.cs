using System.Text.Json;

namespace Compliance.Emulator;

/// <summary>
/// The fleet that an <see cref="ArmEmulator"/> serves: subscriptions with their virtual machines,
/// scale sets and Cloud Services, and optionally the Guest OS catalogue. Read from and written to
/// the fleet file format.
/// </summary>
public sealed class FleetDocument
{
    /// <summary>The subscriptions, in file order.</summary>
    public required IReadOnlyList<FleetSubscription> Subscriptions { get; init; }

    /// <summary>
    /// The Guest OS releases served for every location; <see langword="null"/> serves the built-in
    /// catalogue of real release strings.
    /// </summary>
    public IReadOnlyList<FleetOsVersion>? CloudServiceOsVersions { get; init; }

    /// <summary>Parses and validates a fleet file.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="sourceName">The name that error messages give the file.</param>
    /// <exception cref="FleetFormatException">The text is not JSON or breaks a rule of the format.</exception>
    public static FleetDocument Parse(string json, string sourceName = "fleet")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw FleetFormatException.Syntax(sourceName, e);
        }

        using (parsed)
        {
            var document = new FleetReader(sourceName).Read(parsed.RootElement);
            FleetValidator.Validate(document, sourceName);
            return document;
        }
    }

    /// <summary>Reads, parses and validates a fleet file; error messages name <paramref name="path"/>.</summary>
    /// <exception cref="FleetFormatException">The file is not JSON or breaks a rule of the format.</exception>
    public static FleetDocument Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Writes the fleet in the fleet file format (indented JSON).</summary>
    public string ToJson() => FleetWriter.Write(this);
}
