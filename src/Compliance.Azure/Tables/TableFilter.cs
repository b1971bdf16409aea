using System.Globalization;

namespace Compliance.Azure.Tables;

/// <summary>
/// Builds OData <c>$filter</c> expressions, like <c>Azure.Data.Tables.TableClient.CreateQueryFilter</c>. This is the one
/// place filters are built: the format string is trusted, and every interpolated value becomes a literal of its type, so
/// a value can never change the shape of the expression.
/// </summary>
public static class TableFilter
{
    /// <summary>
    /// Creates a filter such as <c>TableFilter.Create($"PartitionKey eq {partition} and Count gt {minimum}")</c>.
    /// Strings are quoted with <c>'</c> doubled; bool → <c>true</c>/<c>false</c>; int as is; long → <c>123L</c>; double
    /// invariant with a decimal point; DateTimeOffset and UTC DateTime → <c>datetime'…Z'</c>; Guid → <c>guid'…'</c>;
    /// byte[] → <c>X'0a0b'</c>; null → <c>null</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A value has another type, is a non-UTC DateTime, or is a non-finite double.</exception>
    public static string Create(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var literals = new object?[filter.ArgumentCount];
        for (var i = 0; i < literals.Length; i++)
        {
            literals[i] = Literal(filter.GetArgument(i), i);
        }

        return string.Format(CultureInfo.InvariantCulture, filter.Format, literals);
    }

    private static string Literal(object? value, int position) => value switch
    {
        null => "null",
        string text => Quote(text),
        bool flag => flag ? "true" : "false",
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture) + "L",
        double number => DoubleLiteral(number, position),
        DateTimeOffset moment => $"datetime'{TableEntityJson.FormatDateTime(moment)}'",
        DateTime { Kind: DateTimeKind.Utc } moment => $"datetime'{TableEntityJson.FormatDateTime(new DateTimeOffset(moment))}'",
        DateTime => throw new ArgumentException(
            $"Filter value {position} is a DateTime that is not UTC; use a UTC DateTime or a DateTimeOffset.", nameof(value)),
        Guid guid => $"guid'{guid:D}'",
        byte[] bytes => $"X'{Convert.ToHexStringLower(bytes)}'",
        _ => throw new ArgumentException(
            $"Filter value {position} is a {value.GetType().Name}; filters take string, bool, int, long, double, DateTimeOffset, "
            + "UTC DateTime, Guid, byte[] or null.",
            nameof(value)),
    };

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string DoubleLiteral(double number, int position)
    {
        if (!double.IsFinite(number))
        {
            throw new ArgumentException($"Filter value {position} is {number}, which has no OData literal.", nameof(number));
        }

        // "R" is the shortest text that round-trips; OData needs a decimal point to read it as a double.
        var text = number.ToString("R", CultureInfo.InvariantCulture);
        var exponent = text.IndexOfAny(['E', 'e']);
        var mantissa = exponent < 0 ? text : text[..exponent];
        return mantissa.Contains('.', StringComparison.Ordinal) ? text : mantissa + ".0" + (exponent < 0 ? string.Empty : text[exponent..]);
    }
}
