using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Compliance.Core.Scanning;

/// <summary>
/// A timer schedule in the NCRONTAB format of Azure Functions timer triggers, so that the one setting
/// (<c>Compliance:Scan:Schedule</c>) means the same with and without the Functions host.
/// </summary>
/// <remarks>
/// <para>
/// Six fields <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, or five without the second (which is then 0).
/// Each field is <c>*</c>, a number, a range <c>a-b</c>, a step <c>*/n</c>, <c>a-b/n</c> or <c>a/n</c> (from a to the
/// end of the field), or a comma-separated list of those. Months may be written <c>JAN</c>-<c>DEC</c> and days of the
/// week <c>SUN</c>-<c>SAT</c>, in any case; day-of-week is 0-6 from Sunday, and 7 is Sunday too.
/// </para>
/// <para>
/// A day must match both day-of-month and day-of-week, as in NCrontab, which the Azure Functions timer uses (classic
/// cron would take either when both are restricted; following the host keeps the app's own scheduler firing on the
/// same days as the timer trigger). Times are UTC.
/// </para>
/// </remarks>
public sealed class CronSchedule
{
    private const string FieldList = "{second} {minute} {hour} {day} {month} {day-of-week}";

    // Beyond this an expression such as "0 0 0 30 2 *" is taken to never occur.
    private const int HorizonYears = 5;

    private static readonly char[] _whitespace = [' ', '\t', '\r', '\n'];

    private readonly CronField _seconds;
    private readonly CronField _minutes;
    private readonly CronField _hours;
    private readonly CronField _days;
    private readonly CronField _months;
    private readonly CronField _daysOfWeek;

    private CronSchedule(string expression, IReadOnlyList<CronField> fields)
    {
        Expression = expression;
        _seconds = fields[0];
        _minutes = fields[1];
        _hours = fields[2];
        _days = fields[3];
        _months = fields[4];
        _daysOfWeek = fields[5];
    }

    /// <summary>The expression as written, without surrounding whitespace.</summary>
    public string Expression { get; }

    /// <summary>Parses an NCRONTAB expression.</summary>
    /// <exception cref="FormatException">The expression is invalid; the message names the field and the problem.</exception>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return TryParse(expression, out var schedule, out var error) ? schedule : throw new FormatException(error);
    }

    /// <summary>Parses an NCRONTAB expression; on failure <paramref name="error"/> names the field and the problem.</summary>
    public static bool TryParse(string? expression, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        var trimmed = expression?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = $"The schedule is empty; expected six fields {FieldList}, such as '0 0 */6 * * *'.";
            return false;
        }

        var texts = trimmed.Split(_whitespace, StringSplitOptions.RemoveEmptyEntries);
        if (texts.Length is not (5 or 6))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"Invalid schedule '{trimmed}': expected 6 fields {FieldList}, or 5 without the second, but found {texts.Length}.");
            return false;
        }

        var fields = new List<CronField>(6);
        if (texts.Length == 5)
        {
            fields.Add(CronField.SecondZero);
        }

        foreach (var text in texts)
        {
            var kind = (CronFieldKind)fields.Count;
            if (!CronField.TryParse(text, kind, out var field, out var problem))
            {
                error = $"Invalid schedule '{trimmed}': the {Describe(kind)} field '{text}' is invalid: {problem}.";
                return false;
            }

            fields.Add(field);
        }

        schedule = new CronSchedule(trimmed, fields);
        error = null;
        return true;
    }

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/>, in UTC (offset zero); <see langword="null"/> when
    /// there is none within five years of it.
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after)
    {
        // Occurrences fall on whole seconds, so the first candidate is the next whole second.
        var startTicks = after.UtcTicks - (after.UtcTicks % TimeSpan.TicksPerSecond) + TimeSpan.TicksPerSecond;
        if (startTicks > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        var afterUtc = after.UtcDateTime;
        var limit = afterUtc.Year <= DateTime.MaxValue.Year - HorizonYears ? afterUtc.AddYears(HorizonYears) : DateTime.MaxValue;
        var next = Next(new DateTime(startTicks, DateTimeKind.Utc), limit);
        return next is { } value ? new DateTimeOffset(value, TimeSpan.Zero) : null;
    }

    /// <summary>The expression as written.</summary>
    public override string ToString() => Expression;

    // Each step either finds the next allowed value of one field or moves to the start of the next larger unit, so the
    // search costs a few steps per month rather than one per second.
    private DateTime? Next(DateTime start, DateTime limit)
    {
        int year = start.Year, month = start.Month, day = start.Day, hour = start.Hour, minute = start.Minute, second = start.Second;
        while (year <= limit.Year)
        {
            if (month > 12)
            {
                (year, month) = (year + 1, 1);
                continue;
            }

            if (!_months.Contains(month))
            {
                var nextMonth = _months.Next(month);
                (month, day, hour, minute, second) = (nextMonth < 0 ? 13 : nextMonth, 1, 0, 0, 0);
                continue;
            }

            var nextDay = NextDay(year, month, day);
            if (nextDay < 0)
            {
                (month, day, hour, minute, second) = (month + 1, 1, 0, 0, 0);
                continue;
            }

            if (nextDay != day)
            {
                (day, hour, minute, second) = (nextDay, 0, 0, 0);
            }

            var nextHour = _hours.Next(hour);
            if (nextHour < 0)
            {
                (day, hour, minute, second) = (day + 1, 0, 0, 0);
                continue;
            }

            if (nextHour != hour)
            {
                (hour, minute, second) = (nextHour, 0, 0);
            }

            var nextMinute = _minutes.Next(minute);
            if (nextMinute < 0)
            {
                (hour, minute, second) = (hour + 1, 0, 0);
                continue;
            }

            if (nextMinute != minute)
            {
                (minute, second) = (nextMinute, 0);
            }

            var nextSecond = _seconds.Next(second);
            if (nextSecond < 0)
            {
                (minute, second) = (minute + 1, 0);
                continue;
            }

            var occurrence = new DateTime(year, month, day, hour, minute, nextSecond, DateTimeKind.Utc);
            return occurrence <= limit ? occurrence : null;
        }

        return null;
    }

    /// <summary>The first scheduled day of the month at or after <paramref name="from"/>, or -1.</summary>
    private int NextDay(int year, int month, int from)
    {
        var daysInMonth = DateTime.DaysInMonth(year, month);
        var firstDayOfWeek = (int)new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc).DayOfWeek;
        for (var day = from; day <= daysInMonth; day++)
        {
            if (_days.Contains(day) && _daysOfWeek.Contains((firstDayOfWeek + day - 1) % 7))
            {
                return day;
            }
        }

        return -1;
    }

    private static string Describe(CronFieldKind kind) => kind switch
    {
        CronFieldKind.Second => "second",
        CronFieldKind.Minute => "minute",
        CronFieldKind.Hour => "hour",
        CronFieldKind.DayOfMonth => "day",
        CronFieldKind.Month => "month",
        _ => "day-of-week",
    };
}
