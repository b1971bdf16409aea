using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Compliance.Azure.Tables;

/// <summary>
/// Entities to and from the Table service's OData JSON. Types JSON cannot tell apart travel with an
/// <c>Name@odata.type</c> annotation: Int64 (as a string), DateTime, Guid, Binary, and Double (so that 2.0 stays a
/// double and NaN/Infinity can be sent).
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";

    public static byte[] Write(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entity);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString(TableEntity.PartitionKeyName, RequiredKey(entity, TableEntity.PartitionKeyName));
        writer.WriteString(TableEntity.RowKeyName, RequiredKey(entity, TableEntity.RowKeyName));
        foreach (var (name, value) in entity)
        {
            if (value is null
                || name is TableEntity.PartitionKeyName or TableEntity.RowKeyName or TableEntity.TimestampName or TableEntity.ETagName)
            {
                continue;
            }

            if (name.Length == 0 || name.Contains('@', StringComparison.Ordinal) || name.StartsWith("odata.", StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{name}' is not a valid Table property name.", nameof(entity));
            }

            WriteProperty(writer, name, value);
        }

        writer.WriteEndObject();
    }

    private static string RequiredKey(TableEntity entity, string name) => entity.TryGetValue(name, out var value) switch
    {
        true when value is string key => key,
        _ => throw new ArgumentException($"The entity has no {name} string.", nameof(entity)),
    };

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteString(name, text);
                break;
            case int number:
                writer.WriteNumber(name, number);
                break;
            case long number:
                writer.WriteString(name, number.ToString(CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.Int64");
                break;
            case double number when double.IsNaN(number):
                WriteDouble(writer, name, "NaN");
                break;
            case double number when double.IsPositiveInfinity(number):
                WriteDouble(writer, name, "Infinity");
                break;
            case double number when double.IsNegativeInfinity(number):
                WriteDouble(writer, name, "-Infinity");
                break;
            case double number:
                writer.WriteNumber(name, number);
                writer.WriteString(name + TypeSuffix, "Edm.Double");
                break;
            case bool flag:
                writer.WriteBoolean(name, flag);
                break;
            case DateTimeOffset moment:
                writer.WriteString(name, FormatDateTime(moment));
                writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                break;
            case DateTime { Kind: DateTimeKind.Utc } moment:
                writer.WriteString(name, FormatDateTime(new DateTimeOffset(moment)));
                writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                break;
            case DateTime:
                throw new ArgumentException(
                    $"The property '{name}' is a DateTime that is not UTC; use a UTC DateTime or a DateTimeOffset so the stored instant is unambiguous.",
                    nameof(value));
            case Guid guid:
                writer.WriteString(name, guid.ToString("D"));
                writer.WriteString(name + TypeSuffix, "Edm.Guid");
                break;
            case byte[] bytes:
                writer.WriteBase64String(name, bytes);
                writer.WriteString(name + TypeSuffix, "Edm.Binary");
                break;
            default:
                throw new ArgumentException(
                    $"The property '{name}' is a {value.GetType().Name}; Table storage takes string, int, long, double, bool, "
                    + "DateTimeOffset, UTC DateTime, Guid, byte[] or null.",
                    nameof(value));
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, string name, string literal)
    {
        writer.WriteString(name, literal);
        writer.WriteString(name + TypeSuffix, "Edm.Double");
    }

    /// <summary>The service keeps 100 ns ticks: seven fraction digits, always UTC.</summary>
    internal static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    public static TableEntity Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"The Table service sent an entity that is a JSON {element.ValueKind}, not an object.");
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.EndsWith(TypeSuffix, StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.String)
            {
                types[property.Name[..^TypeSuffix.Length]] = property.Value.GetString() ?? string.Empty;
            }
        }

        var entity = new TableEntity();
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (name.EndsWith(TypeSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            if (name == TableEntity.ETagName)
            {
                entity[name] = property.Value.GetString();
                continue;
            }

            if (name.StartsWith("odata.", StringComparison.Ordinal) || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var type = types.GetValueOrDefault(name) ?? (name == TableEntity.TimestampName ? "Edm.DateTime" : null);
            entity[name] = ReadValue(name, property.Value, type);
        }

        return entity;
    }

    private static object ReadValue(string name, JsonElement value, string? type)
    {
        try
        {
            return (type, value.ValueKind) switch
            {
                ("Edm.Int64", JsonValueKind.String) => long.Parse(value.GetString() ?? string.Empty, NumberStyles.Integer, CultureInfo.InvariantCulture),
                ("Edm.Int64", JsonValueKind.Number) => value.GetInt64(),
                ("Edm.Int32", JsonValueKind.Number) => value.GetInt32(),
                ("Edm.Double", JsonValueKind.Number) => value.GetDouble(),
                ("Edm.Double", JsonValueKind.String) => value.GetString() switch
                {
                    "NaN" => double.NaN,
                    "Infinity" => double.PositiveInfinity,
                    "-Infinity" => double.NegativeInfinity,
                    var other => double.Parse(other ?? string.Empty, NumberStyles.Float, CultureInfo.InvariantCulture),
                },
                ("Edm.DateTime", JsonValueKind.String) => DateTimeOffset.Parse(
                    value.GetString() ?? string.Empty,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                ("Edm.Guid", JsonValueKind.String) => Guid.Parse(value.GetString() ?? string.Empty),
                ("Edm.Binary", JsonValueKind.String) => value.GetBytesFromBase64(),
                (_, JsonValueKind.String) => value.GetString() ?? string.Empty,
                (_, JsonValueKind.True) => true,
                (_, JsonValueKind.False) => false,
                (_, JsonValueKind.Number) when value.TryGetInt32(out var small) => small,
                (_, JsonValueKind.Number) when value.TryGetInt64(out var large) => large,
                (_, JsonValueKind.Number) => value.GetDouble(),
                _ => throw new FormatException($"a JSON {value.ValueKind} cannot be a Table property value"),
            };
        }
        catch (FormatException exception)
        {
            throw new FormatException($"The Table service sent property '{name}' in a form this client cannot read ({type ?? "untyped"}).", exception);
        }
    }
}
