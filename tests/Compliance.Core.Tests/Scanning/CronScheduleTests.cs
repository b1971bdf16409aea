using System.Globalization;
using Compliance.Core.Scanning;

namespace Compliance.Core.Tests.Scanning;

/// <summary>NCRONTAB schedules: parsing, the errors for bad input, and next occurrences across month, leap and year ends.</summary>
public sealed class CronScheduleTests
{
    private static DateTimeOffset At(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Theory]
    // The default: every six hours.
    [InlineData("0 0 */6 * * *", "2025-01-15T05:59:59Z", "2025-01-15T06:00:00Z")]
    [InlineData("0 0 */6 * * *", "2025-01-15T05:59:59.999Z", "2025-01-15T06:00:00Z")]
    [InlineData("0 0 */6 * * *", "2025-01-15T06:00:00Z", "2025-01-15T12:00:00Z")]
    [InlineData("0 0 */6 * * *", "2025-01-15T06:00:00.001Z", "2025-01-15T12:00:00Z")]
    [InlineData("0 0 */6 * * *", "2025-01-15T18:00:00Z", "2025-01-16T00:00:00Z")]
    [InlineData("0 0 */6 * * *", "2025-12-31T18:00:00Z", "2026-01-01T00:00:00Z")]
    // Every five minutes.
    [InlineData("0 */5 * * * *", "2025-01-15T10:02:30Z", "2025-01-15T10:05:00Z")]
    [InlineData("0 */5 * * * *", "2025-01-15T10:55:00Z", "2025-01-15T11:00:00Z")]
    [InlineData("0 */5 * * * *", "2025-02-28T23:59:00Z", "2025-03-01T00:00:00Z")]
    [InlineData("0 */5 * * * *", "2024-02-28T23:55:00Z", "2024-02-29T00:00:00Z")]
    // Weekdays at 09:30, over a weekend (2025-01-17 is a Friday).
    [InlineData("0 30 9 * * 1-5", "2025-01-17T09:30:00Z", "2025-01-20T09:30:00Z")]
    [InlineData("0 30 9 * * 1-5", "2025-01-18T08:00:00Z", "2025-01-20T09:30:00Z")]
    [InlineData("0 30 9 * * 1-5", "2025-01-20T09:29:59Z", "2025-01-20T09:30:00Z")]
    [InlineData("0 30 9 * * MON-FRI", "2025-01-17T09:30:00Z", "2025-01-20T09:30:00Z")]
    // 29 February: the next leap year.
    [InlineData("0 0 0 29 2 *", "2025-01-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("0 0 0 29 2 *", "2024-02-29T00:00:00Z", "2028-02-29T00:00:00Z")]
    [InlineData("0 0 0 29 2 *", "2024-02-28T12:00:00Z", "2024-02-29T00:00:00Z")]
    [InlineData("0 0 0 * 2 *", "2024-02-28T00:00:00Z", "2024-02-29T00:00:00Z")]
    [InlineData("0 0 0 * 2 *", "2025-02-28T00:00:00Z", "2026-02-01T00:00:00Z")]
    // The 31st skips the 30-day months and February.
    [InlineData("0 0 0 31 * *", "2025-01-31T00:00:00Z", "2025-03-31T00:00:00Z")]
    [InlineData("0 0 0 31 * *", "2025-03-31T00:00:00Z", "2025-05-31T00:00:00Z")]
    [InlineData("0 0 0 31 * *", "2025-07-31T00:00:00Z", "2025-08-31T00:00:00Z")]
    [InlineData("0 0 0 31 * *", "2025-12-31T00:00:00Z", "2026-01-31T00:00:00Z")]
    [InlineData("0 0 0 30 1,2,3 *", "2025-01-30T00:00:00Z", "2025-03-30T00:00:00Z")]
    // Sundays at noon (2025-01-15 is a Wednesday, 2025-01-19 a Sunday); 7 is Sunday too.
    [InlineData("0 0 12 * * SUN", "2025-01-15T00:00:00Z", "2025-01-19T12:00:00Z")]
    [InlineData("0 0 12 * * SUN", "2025-01-19T12:00:00Z", "2025-01-26T12:00:00Z")]
    [InlineData("0 0 12 * * sun", "2025-01-19T11:59:59Z", "2025-01-19T12:00:00Z")]
    [InlineData("0 0 12 * * 0", "2025-01-15T00:00:00Z", "2025-01-19T12:00:00Z")]
    [InlineData("0 0 12 * * 7", "2025-01-15T00:00:00Z", "2025-01-19T12:00:00Z")]
    [InlineData("0 0 0 * * 5-7", "2025-01-20T00:00:00Z", "2025-01-24T00:00:00Z")]
    [InlineData("0 0 0 * * 5-7", "2025-01-25T00:00:00Z", "2025-01-26T00:00:00Z")]
    // Month names.
    [InlineData("0 0 0 1 JAN *", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("0 0 0 1 jan *", "2025-06-15T00:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("0 0 0 1 JAN-MAR *", "2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z")]
    [InlineData("0 0 0 1 JAN-MAR *", "2025-03-01T00:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("0 0 0 1 6,DEC *", "2025-06-01T00:00:00Z", "2025-12-01T00:00:00Z")]
    // Lists and steps.
    [InlineData("0 0 8,12,18 * * *", "2025-01-15T12:00:00Z", "2025-01-15T18:00:00Z")]
    [InlineData("0 0 8,12,18 * * *", "2025-01-15T18:00:00Z", "2025-01-16T08:00:00Z")]
    [InlineData("*/15 * * * * *", "2025-01-15T10:00:44Z", "2025-01-15T10:00:45Z")]
    [InlineData("*/15 * * * * *", "2025-01-15T10:00:45Z", "2025-01-15T10:01:00Z")]
    [InlineData("0 10-50/20 * * * *", "2025-01-15T10:30:00Z", "2025-01-15T10:50:00Z")]
    [InlineData("0 10-50/20 * * * *", "2025-01-15T10:50:00Z", "2025-01-15T11:10:00Z")]
    [InlineData("0 5/15 * * * *", "2025-01-15T10:51:00Z", "2025-01-15T11:05:00Z")]
    [InlineData("0 0 1-3,22/1 * * *", "2025-01-15T03:00:00Z", "2025-01-15T22:00:00Z")]
    [InlineData("30 15 10 * * *", "2025-01-15T10:15:30Z", "2025-01-16T10:15:30Z")]
    [InlineData("* * * * * *", "2025-01-15T10:15:30.500Z", "2025-01-15T10:15:31Z")]
    [InlineData("59 59 23 31 12 *", "2025-12-31T23:59:59Z", "2026-12-31T23:59:59Z")]
    [InlineData("0 0 0 1 * *", "2025-12-01T00:00:00Z", "2026-01-01T00:00:00Z")]
    // Five fields: no seconds.
    [InlineData("*/30 * * * *", "2025-01-15T10:00:00Z", "2025-01-15T10:30:00Z")]
    [InlineData("*/30 * * * *", "2025-01-15T10:29:59Z", "2025-01-15T10:30:00Z")]
    [InlineData("0 9 * * MON", "2025-01-15T00:00:00Z", "2025-01-20T09:00:00Z")]
    [InlineData("0 0 29 2 *", "2025-01-01T00:00:00Z", "2028-02-29T00:00:00Z")]
    // Both day fields restricted: both must match, as in NCrontab (the first Friday the 13th after 2025-01-01 is in June;
    // the 1st or 15th on a Saturday: 2025-02-01).
    [InlineData("0 0 0 13 * FRI", "2025-01-01T00:00:00Z", "2025-06-13T00:00:00Z")]
    [InlineData("0 0 0 13 * FRI", "2025-06-13T00:00:00Z", "2026-02-13T00:00:00Z")]
    [InlineData("0 0 0 1,15 * 6", "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z")]
    // One day field starting with '*': both must match (Mondays on the 1st, 11th, 21st or 31st).
    [InlineData("0 0 0 */10 * MON", "2025-01-01T00:00:00Z", "2025-03-31T00:00:00Z")]
    [InlineData("0 0 0 13 * *", "2025-01-01T00:00:00Z", "2025-01-13T00:00:00Z")]
    public void GetNextOccurrence_After_ReturnsFirstLaterOccurrence(string expression, string after, string expected)
    {
        var schedule = CronSchedule.Parse(expression);

        var next = schedule.GetNextOccurrence(At(after));

        Assert.Equal(At(expected), next);
        Assert.Equal(TimeSpan.Zero, next?.Offset);
    }

    [Theory]
    [InlineData("0 0 0 30 2 *", "2025-01-01T00:00:00Z")]
    [InlineData("0 0 0 31 4 *", "2025-01-01T00:00:00Z")]
    [InlineData("0 0 0 31 2,4,6,9,11 *", "2025-01-01T00:00:00Z")]
    // 2100 is not a leap year, so the next 29 February after 2096 is in 2104: beyond five years.
    [InlineData("0 0 0 29 2 *", "2096-03-01T00:00:00Z")]
    [InlineData("* * * * * *", "9999-12-31T23:59:59Z")]
    [InlineData("0 0 0 1 1 *", "9999-06-01T00:00:00Z")]
    public void GetNextOccurrence_NoneWithinFiveYears_ReturnsNull(string expression, string after)
    {
        var schedule = CronSchedule.Parse(expression);

        Assert.Null(schedule.GetNextOccurrence(At(after)));
    }

    [Fact]
    public void GetNextOccurrence_FiveYearHorizon_CountsFromAfter()
    {
        // 2100 is not a leap year: after February 2099 the next 29 February is in 2104, at the edge of the horizon.
        var schedule = CronSchedule.Parse("0 0 0 29 2 *");

        Assert.Equal(At("2104-02-29T00:00:00Z"), schedule.GetNextOccurrence(At("2099-03-01T00:00:00Z")));
        Assert.Null(schedule.GetNextOccurrence(At("2099-02-28T23:59:59Z")));
    }

    [Fact]
    public void GetNextOccurrence_NonUtcOffset_ReturnsUtc()
    {
        var schedule = CronSchedule.Parse("0 0 */6 * * *");

        var next = schedule.GetNextOccurrence(new DateTimeOffset(2025, 1, 15, 7, 59, 59, TimeSpan.FromHours(2)));

        Assert.Equal(new DateTimeOffset(2025, 1, 15, 6, 0, 0, TimeSpan.Zero), next);
        Assert.Equal(TimeSpan.Zero, next?.Offset);
    }

    [Fact]
    public void GetNextOccurrence_DefaultScheduleOverLeapYear_FiresFourTimesADay()
    {
        var schedule = CronSchedule.Parse("0 0 */6 * * *");
        var end = At("2025-01-01T00:00:00Z");
        var occurrences = new List<DateTimeOffset>();

        for (var next = schedule.GetNextOccurrence(At("2023-12-31T23:59:59Z")); next < end; next = schedule.GetNextOccurrence(next.Value))
        {
            occurrences.Add(next.Value);
        }

        Assert.Equal(366 * 4, occurrences.Count);
        Assert.Equal(At("2024-01-01T00:00:00Z"), occurrences[0]);
        Assert.Equal(At("2024-02-29T18:00:00Z"), occurrences[(31 + 28) * 4 + 3]);
        Assert.Equal(At("2024-12-31T18:00:00Z"), occurrences[^1]);
        Assert.All(occurrences.Zip(occurrences.Skip(1)), pair => Assert.Equal(TimeSpan.FromHours(6), pair.Second - pair.First));
    }

    [Fact]
    public void GetNextOccurrence_RandomSchedules_MatchesDayByDayReference()
    {
        var random = new Random(20250115);
        var start = At("2024-01-01T00:00:00Z");

        for (var i = 0; i < 300; i++)
        {
            var seconds = Pick(random, 0, 59, 1, 3);
            var minutes = Pick(random, 0, 59, 1, 3);
            var hours = Pick(random, 0, 23, 1, 3);
            int[]? days = random.Next(3) == 0 ? null : Pick(random, 1, 31, 1, 3, preferred: [28, 29, 30, 31]);
            int[]? months = random.Next(2) == 0 ? null : Pick(random, 1, 12, 1, 4, preferred: [2]);
            int[]? daysOfWeek = random.Next(2) == 0 ? null : Pick(random, 0, 7, 1, 2);
            var expression = string.Join(' ', Format(seconds), Format(minutes), Format(hours), Format(days), Format(months), Format(daysOfWeek));
            var after = start.AddSeconds(random.NextInt64(0, 6L * 365 * 24 * 3600)).AddMilliseconds(random.Next(1000));

            var expected = Reference(seconds, minutes, hours, days, months, daysOfWeek, after);
            var actual = CronSchedule.Parse(expression).GetNextOccurrence(after);

            Assert.True(expected == actual, $"'{expression}' after {after:O}: expected {expected:O}, got {actual:O}");
        }
    }

    [Theory]
    [InlineData("0 0 */6 * * *")]
    [InlineData("*/30 * * * *")]
    [InlineData("0 30 9 * * MON-FRI")]
    public void Parse_ValidExpression_KeepsExpression(string expression)
    {
        var schedule = CronSchedule.Parse(expression);

        Assert.Equal(expression, schedule.Expression);
        Assert.Equal(expression, schedule.ToString());
    }

    [Fact]
    public void Parse_SurroundingWhitespace_IsTrimmed()
    {
        var schedule = CronSchedule.Parse("  0 0 */6 * * *\t");

        Assert.Equal("0 0 */6 * * *", schedule.Expression);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => CronSchedule.Parse(null!));
    }

    [Fact]
    public void TryParse_Valid_ReturnsScheduleWithoutError()
    {
        var parsed = CronSchedule.TryParse("0 0 */6 * * *", out var schedule, out var error);

        Assert.True(parsed);
        Assert.NotNull(schedule);
        Assert.Equal("0 0 */6 * * *", schedule.Expression);
        Assert.Null(error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_Empty_ReturnsFalseWithError(string? expression)
    {
        var parsed = CronSchedule.TryParse(expression, out var schedule, out var error);

        Assert.False(parsed);
        Assert.Null(schedule);
        Assert.Equal("The schedule is empty; expected six fields {second} {minute} {hour} {day} {month} {day-of-week}, such as '0 0 */6 * * *'.", error);
    }

    [Theory]
    [InlineData("0 0 * * *  * *", "expected 6 fields {second} {minute} {hour} {day} {month} {day-of-week}, or 5 without the second, but found 7")]
    [InlineData("0 */6 * *", "expected 6 fields {second} {minute} {hour} {day} {month} {day-of-week}, or 5 without the second, but found 4")]
    [InlineData("60 * * * * *", "the second field '60' is invalid: 60 is out of range (0-59)")]
    [InlineData("0 60 * * * *", "the minute field '60' is invalid: 60 is out of range (0-59)")]
    [InlineData("60 * * * *", "the minute field '60' is invalid: 60 is out of range (0-59)")]
    [InlineData("0 0 24 * * *", "the hour field '24' is invalid: 24 is out of range (0-23)")]
    [InlineData("0 0 1,24 * * *", "the hour field '1,24' is invalid: 24 is out of range (0-23)")]
    [InlineData("0 0 99999999999 * * *", "the hour field '99999999999' is invalid: 99999999999 is out of range (0-23)")]
    [InlineData("0 0 0 0 * *", "the day field '0' is invalid: 0 is out of range (1-31)")]
    [InlineData("0 0 0 32 * *", "the day field '32' is invalid: 32 is out of range (1-31)")]
    [InlineData("0 0 0 1 13 *", "the month field '13' is invalid: 13 is out of range (1-12)")]
    [InlineData("0 0 0 1 0 *", "the month field '0' is invalid: 0 is out of range (1-12)")]
    [InlineData("0 0 0 * * 8", "the day-of-week field '8' is invalid: 8 is out of range (0-7, 0 and 7 are Sunday)")]
    [InlineData("0 */0 * * * *", "the minute field '*/0' is invalid: a step of 0 is not allowed")]
    [InlineData("0 0 1-5/0 * * *", "the hour field '1-5/0' is invalid: a step of 0 is not allowed")]
    [InlineData("0 0 */x * * *", "the hour field '*/x' is invalid: 'x' is not a valid step")]
    [InlineData("0 0 */2/3 * * *", "the hour field '*/2/3' is invalid: '2/3' is not a valid step")]
    [InlineData("0 0 1/ * * *", "the hour field '1/' is invalid: the step after '/' is missing")]
    [InlineData("0 0 5-1 * * *", "the hour field '5-1' is invalid: the range 5-1 is reversed")]
    [InlineData("0 0 0 1 DEC-JAN *", "the month field 'DEC-JAN' is invalid: the range DEC-JAN is reversed")]
    [InlineData("0 0 0 * * SAT-SUN", "the day-of-week field 'SAT-SUN' is invalid: the range SAT-SUN is reversed (use 7 for Sunday at the end of a range)")]
    [InlineData("0 0 1,,2 * * *", "the hour field '1,,2' is invalid: a list item is empty")]
    [InlineData("0 0 1, * * *", "the hour field '1,' is invalid: a list item is empty")]
    [InlineData("0 0 -1 * * *", "the hour field '-1' is invalid: a number is missing")]
    [InlineData("0 0 1- * * *", "the hour field '1-' is invalid: a number is missing")]
    [InlineData("0 0 /2 * * *", "the hour field '/2' is invalid: a number is missing")]
    [InlineData("0 0 1-2-3 * * *", "the hour field '1-2-3' is invalid: '2-3' is not a number")]
    [InlineData("0 0 +1 * * *", "the hour field '+1' is invalid: '+1' is not a number")]
    [InlineData("0 0 MON * * *", "the hour field 'MON' is invalid: 'MON' is not a number")]
    [InlineData("0 0 0 * FOO *", "the month field 'FOO' is invalid: 'FOO' is not a number or a month name (JAN-DEC)")]
    [InlineData("0 0 0 * JANUARY *", "the month field 'JANUARY' is invalid: 'JANUARY' is not a number or a month name (JAN-DEC)")]
    [InlineData("0 0 0 * * MONDAY", "the day-of-week field 'MONDAY' is invalid: 'MONDAY' is not a number or a day name (SUN-SAT)")]
    [InlineData("0 0 0 ? * MON", "the day field '?' is invalid: '?' is not a number (?, L, W and # are not supported)")]
    [InlineData("0 0 0 L * *", "the day field 'L' is invalid: 'L' is not a number (?, L, W and # are not supported)")]
    [InlineData("0 0 0 15W * *", "the day field '15W' is invalid: '15W' is not a number (?, L, W and # are not supported)")]
    [InlineData("0 0 0 * * 5L", "the day-of-week field '5L' is invalid: '5L' is not a number or a day name (SUN-SAT) (?, L, W and # are not supported)")]
    [InlineData("0 0 0 * * 5#3", "the day-of-week field '5#3' is invalid: '5#3' is not a number or a day name (SUN-SAT) (?, L, W and # are not supported)")]
    [InlineData("0 0 0 * * ?", "the day-of-week field '?' is invalid: '?' is not a number or a day name (SUN-SAT) (?, L, W and # are not supported)")]
    public void TryParse_Invalid_ReturnsFalseWithErrorNamingTheField(string expression, string problem)
    {
        var parsed = CronSchedule.TryParse(expression, out var schedule, out var error);

        Assert.False(parsed);
        Assert.Null(schedule);
        Assert.Equal($"Invalid schedule '{expression}': {problem}.", error);
    }

    [Theory]
    [InlineData("0 0 25 * * *", "Invalid schedule '0 0 25 * * *': the hour field '25' is invalid: 25 is out of range (0-23).")]
    [InlineData(" 0 0 * * ", "Invalid schedule '0 0 * *': expected 6 fields {second} {minute} {hour} {day} {month} {day-of-week}, or 5 without the second, but found 4.")]
    [InlineData("0 0 0 L * *", "Invalid schedule '0 0 0 L * *': the day field 'L' is invalid: 'L' is not a number (?, L, W and # are not supported).")]
    public void Parse_Invalid_ThrowsFormatExceptionNamingTheField(string expression, string message)
    {
        var exception = Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));

        Assert.Equal(message, exception.Message);
    }

    private static int[] Pick(Random random, int min, int max, int minCount, int maxCount, int[]? preferred = null)
    {
        var count = random.Next(minCount, maxCount + 1);
        var values = new SortedSet<int>();
        while (values.Count < count)
        {
            values.Add(preferred is not null && random.Next(2) == 0 ? preferred[random.Next(preferred.Length)] : random.Next(min, max + 1));
        }

        return [.. values];
    }

    private static string Format(int[]? values) => values is null ? "*" : string.Join(',', values);

    // A deliberately naive search: every day of the next five years, then every time of day in order.
    private static DateTimeOffset? Reference(int[] seconds, int[] minutes, int[] hours, int[]? days, int[]? months, int[]? daysOfWeek, DateTimeOffset after)
    {
        var limit = after.AddYears(5);
        for (var date = new DateTimeOffset(after.UtcDateTime.Date, TimeSpan.Zero); date <= limit; date = date.AddDays(1))
        {
            if (months is not null && !months.Contains(date.Month))
            {
                continue;
            }

            var dayMatches = days is null || days.Contains(date.Day);
            var dayOfWeekMatches = daysOfWeek is null || daysOfWeek.Any(d => d % 7 == (int)date.DayOfWeek);
            if (!(dayMatches && dayOfWeekMatches))
            {
                continue;
            }

            foreach (var hour in hours)
            {
                foreach (var minute in minutes)
                {
                    foreach (var second in seconds)
                    {
                        var candidate = date.AddHours(hour).AddMinutes(minute).AddSeconds(second);
                        if (candidate > after)
                        {
                            return candidate <= limit ? candidate : null;
                        }
                    }
                }
            }
        }

        return null;
    }
}
