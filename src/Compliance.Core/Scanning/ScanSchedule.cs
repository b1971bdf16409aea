using System.Diagnostics.CodeAnalysis;
using NCrontab;

namespace Compliance.Core.Scanning;

/// <summary>
/// The scan schedule (<c>Compliance:Scan:Schedule</c>): an NCRONTAB expression, read by NCrontab as the Azure Functions
/// timer trigger reads it, so that the one setting means the same with and without the Functions host. Times are UTC.
/// </summary>
/// <remarks>
/// Six fields <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, or five without the second, which the timer
/// trigger accepts too. This type exists for what <see cref="CrontabSchedule"/> leaves to its caller: choosing the
/// parse options as the host does, turning every parse failure into a message, and answering in
/// <see cref="DateTimeOffset"/> with "none" for a schedule that does not occur within five years.
/// </remarks>
public sealed class ScanSchedule
{
    // Beyond this an expression such as "0 0 0 30 2 *" is taken to never occur.
    private const int HorizonYears = 5;

    private readonly CrontabSchedule _schedule;

    private ScanSchedule(string expression, CrontabSchedule schedule)
    {
        Expression = expression;
        _schedule = schedule;
    }

    /// <summary>The expression as written, without surrounding whitespace.</summary>
    public string Expression { get; }

    /// <summary>Parses an NCRONTAB expression.</summary>
    /// <exception cref="FormatException">The expression is invalid; the message says why.</exception>
    public static ScanSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return TryParse(expression, out var schedule, out var error) ? schedule : throw new FormatException(error);
    }

    /// <summary>Parses an NCRONTAB expression; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? expression, [NotNullWhen(true)] out ScanSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        var trimmed = expression?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = $"The schedule is empty; expected an NCRONTAB expression with seconds, such as '{ScanOptions.DefaultSchedule}'.";
            return false;
        }

        // As the timer trigger does: seconds unless the expression has exactly five fields (CreateParseOptions in
        // https://github.com/Azure/azure-webjobs-sdk-extensions/blob/dev/src/WebJobs.Extensions/Extensions/Timers/Scheduling/CronSchedule.cs).
        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var options = new CrontabSchedule.ParseOptions { IncludingSeconds = fields != 5 };

        (CrontabSchedule? Value, string? Error) parsed;
        try
        {
            parsed = CrontabSchedule.TryParse<(CrontabSchedule?, string?)>(trimmed, options, value => (value, null), failure => (null, failure().Message));
        }
        catch (OverflowException)
        {
            // NCrontab reads a number with int.Parse, so one beyond Int32 throws instead of failing the parse
            // (https://github.com/atifaziz/NCrontab/issues/43).
            parsed = (null, "a number is too large for any field.");
        }

        if (parsed.Value is null)
        {
            error = $"Invalid schedule '{trimmed}': {parsed.Error}";
            return false;
        }

        schedule = new ScanSchedule(trimmed, parsed.Value);
        error = null;
        return true;
    }

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/>, in UTC (offset zero); <see langword="null"/> when
    /// there is none within five years of it.
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after)
    {
        var from = after.UtcDateTime;
        var limit = from.Year <= DateTime.MaxValue.Year - HorizonYears ? from.AddYears(HorizonYears) : DateTime.MaxValue;

        // NCrontab's end is exclusive and is what it returns when nothing comes before it; one tick more keeps an
        // occurrence exactly at the horizon (occurrences fall on whole seconds, and DateTime.MaxValue is not one).
        var end = limit < DateTime.MaxValue ? limit.AddTicks(1) : limit;
        var next = _schedule.GetNextOccurrence(from, end);
        return next < end ? new DateTimeOffset(next.Ticks, TimeSpan.Zero) : null;
    }

    /// <summary>The expression as written.</summary>
    public override string ToString() => Expression;
}
