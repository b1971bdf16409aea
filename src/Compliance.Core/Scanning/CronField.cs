using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Compliance.Core.Scanning;

/// <summary>One parsed field of a <see cref="CronSchedule"/>: the set of values it allows, as a bit mask.</summary>
internal sealed class CronField
{
    private static readonly string[] _monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] _dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    // Every field value is below 64, so one bit per value fits a ulong.
    private readonly ulong _mask;

    private CronField(ulong mask, bool isStar)
    {
        _mask = mask;
        IsStar = isStar;
    }

    /// <summary>The seconds field of a five-field schedule, which has none: second 0 only.</summary>
    public static CronField SecondZero { get; } = new(1, isStar: false);

    /// <summary>
    /// Whether the field was written starting with <c>*</c> (<c>*</c>, <c>*/n</c>). Classic cron uses this, not the set
    /// of values, to decide whether day-of-month and day-of-week are combined with AND or with OR.
    /// </summary>
    public bool IsStar { get; }

    public bool Contains(int value) => value is >= 0 and < 64 && (_mask & (1UL << value)) != 0;

    /// <summary>The smallest allowed value at or above <paramref name="from"/>, or -1 when there is none.</summary>
    public int Next(int from)
    {
        if (from >= 64)
        {
            return -1;
        }

        var rest = _mask & (ulong.MaxValue << Math.Max(from, 0));
        return rest == 0 ? -1 : BitOperations.TrailingZeroCount(rest);
    }

    /// <summary>Parses one field; on failure <paramref name="problem"/> says what is wrong, without naming the field.</summary>
    public static bool TryParse(string text, CronFieldKind kind, [NotNullWhen(true)] out CronField? field, [NotNullWhen(false)] out string? problem)
    {
        field = null;
        var (min, max) = Bounds(kind);
        // Day-of-week accepts 7 for Sunday, but '*' and 'a/n' stop at Saturday so that Sunday is not counted twice.
        var openMax = kind == CronFieldKind.DayOfWeek ? 6 : max;
        var mask = 0UL;

        foreach (var item in text.Split(','))
        {
            if (item.Length == 0)
            {
                problem = "a list item is empty";
                return false;
            }

            var slash = item.IndexOf('/', StringComparison.Ordinal);
            var range = slash < 0 ? item : item[..slash];
            var step = 1;
            if (slash >= 0 && !TryParseStep(item[(slash + 1)..], out step, out problem))
            {
                return false;
            }

            int low;
            int high;
            if (range == "*")
            {
                low = min;
                high = openMax;
            }
            else
            {
                var dash = range.IndexOf('-', StringComparison.Ordinal);
                if (dash < 0)
                {
                    if (!TryParseValue(range, kind, out low, out problem))
                    {
                        return false;
                    }

                    high = slash < 0 ? low : Math.Max(low, openMax);
                }
                else
                {
                    if (!TryParseValue(range[..dash], kind, out low, out problem)
                        || !TryParseValue(range[(dash + 1)..], kind, out high, out problem))
                    {
                        return false;
                    }

                    if (low > high)
                    {
                        problem = kind == CronFieldKind.DayOfWeek && high == 0
                            ? string.Create(CultureInfo.InvariantCulture, $"the range {range} is reversed (use 7 for Sunday at the end of a range)")
                            : string.Create(CultureInfo.InvariantCulture, $"the range {range} is reversed");
                        return false;
                    }
                }
            }

            // long, so that a huge step cannot overflow the loop variable.
            for (long value = low; value <= high; value += step)
            {
                mask |= 1UL << (kind == CronFieldKind.DayOfWeek && value == 7 ? 0 : (int)value);
            }
        }

        field = new CronField(mask, text.StartsWith('*'));
        problem = null;
        return true;
    }

    private static bool TryParseStep(string text, out int step, [NotNullWhen(false)] out string? problem)
    {
        step = 0;
        if (text.Length == 0)
        {
            problem = "the step after '/' is missing";
            return false;
        }

        if (!IsDigits(text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out step))
        {
            problem = $"'{text}' is not a valid step";
            return false;
        }

        if (step == 0)
        {
            problem = "a step of 0 is not allowed";
            return false;
        }

        problem = null;
        return true;
    }

    private static bool TryParseValue(string text, CronFieldKind kind, out int value, [NotNullWhen(false)] out string? problem)
    {
        value = 0;
        var (min, max) = Bounds(kind);
        if (text.Length == 0)
        {
            problem = "a number is missing";
            return false;
        }

        if (IsDigits(text))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min || value > max)
            {
                problem = kind == CronFieldKind.DayOfWeek
                    ? $"{text} is out of range ({min}-{max}, 0 and 7 are Sunday)"
                    : $"{text} is out of range ({min}-{max})";
                return false;
            }

            problem = null;
            return true;
        }

        var (names, firstValue, what) = kind switch
        {
            CronFieldKind.Month => (_monthNames, 1, " or a month name (JAN-DEC)"),
            CronFieldKind.DayOfWeek => (_dayNames, 0, " or a day name (SUN-SAT)"),
            _ => ([], 0, ""),
        };
        var index = Array.FindIndex(names, name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            value = index + firstValue;
            problem = null;
            return true;
        }

        // Quartz-style extensions are a common copy-paste mistake; say so rather than just "not a number".
        var withoutSuffix = text.TrimEnd('L', 'l', 'W', 'w');
        var isQuartz = text.Contains('?', StringComparison.Ordinal) || text.Contains('#', StringComparison.Ordinal)
            || (withoutSuffix.Length < text.Length && IsDigits(withoutSuffix));
        problem = isQuartz
            ? $"'{text}' is not a number{what} (?, L, W and # are not supported)"
            : $"'{text}' is not a number{what}";
        return false;
    }

    private static bool IsDigits(string text) => text.All(char.IsAsciiDigit);

    private static (int Min, int Max) Bounds(CronFieldKind kind) => kind switch
    {
        CronFieldKind.Second or CronFieldKind.Minute => (0, 59),
        CronFieldKind.Hour => (0, 23),
        CronFieldKind.DayOfMonth => (1, 31),
        CronFieldKind.Month => (1, 12),
        CronFieldKind.DayOfWeek => (0, 7),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown cron field."),
    };
}
