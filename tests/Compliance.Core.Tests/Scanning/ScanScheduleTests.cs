using System.Globalization;
using Compliance.Core.Scanning;

namespace Compliance.Core.Tests.Scanning;

/// <summary>NCRONTAB schedules: parsing, the errors for bad input, and next occurrences across month, leap and year ends.</summary>
public sealed class ScanScheduleTests
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
    // Sundays at noon (2025-01-15 is a Wednesday, 2025-01-19 a Sunday); Sunday is 0.
    [InlineData("0 0 12 * * SUN", "2025-01-15T00:00:00Z", "2025-01-19T12:00:00Z")]
    [InlineData("0 0 12 * * SUN", "2025-01-19T12:00:00Z", "2025-01-26T12:00:00Z")]
    [InlineData("0 0 12 * * sun", "2025-01-19T11:59:59Z", "2025-01-19T12:00:00Z")]
    [InlineData("0 0 12 * * 0", "2025-01-15T00:00:00Z", "2025-01-19T12:00:00Z")]
    [InlineData("0 0 0 * * 5-6,0", "2025-01-20T00:00:00Z", "2025-01-24T00:00:00Z")]
    [InlineData("0 0 0 * * 5-6,0", "2025-01-25T00:00:00Z", "2025-01-26T00:00:00Z")]
    [InlineData("0 0 0 * * 0-6/2", "2025-01-15T00:00:00Z", "2025-01-16T00:00:00Z")]
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
    // Five fields: no seconds (second 0), which the timer trigger accepts too.
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
        var schedule = ScanSchedule.Parse(expression);

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
        var schedule = ScanSchedule.Parse(expression);

        Assert.Null(schedule.GetNextOccurrence(At(after)));
    }

    [Fact]
    public void GetNextOccurrence_FiveYearHorizon_CountsFromAfter()
    {
        // 2100 is not a leap year: after February 2099 the next 29 February is in 2104, at the edge of the horizon.
        var schedule = ScanSchedule.Parse("0 0 0 29 2 *");

        Assert.Equal(At("2104-02-29T00:00:00Z"), schedule.GetNextOccurrence(At("2099-03-01T00:00:00Z")));
        Assert.Null(schedule.GetNextOccurrence(At("2099-02-28T23:59:59Z")));
    }

    [Fact]
    public void GetNextOccurrence_ExactlyAtTheHorizon_IsReturned()
    {
        // Friday the 13th of February falls in 2032 and then in 2037, five years to the second: the horizon is inclusive.
        var schedule = ScanSchedule.Parse("0 0 0 13 2 FRI");

        Assert.Equal(At("2037-02-13T00:00:00Z"), schedule.GetNextOccurrence(At("2032-02-13T00:00:00Z")));
    }

    [Fact]
    public void GetNextOccurrence_NonUtcOffset_ReturnsUtc()
    {
        var schedule = ScanSchedule.Parse("0 0 */6 * * *");

        var next = schedule.GetNextOccurrence(new DateTimeOffset(2025, 1, 15, 7, 59, 59, TimeSpan.FromHours(2)));

        Assert.Equal(new DateTimeOffset(2025, 1, 15, 6, 0, 0, TimeSpan.Zero), next);
        Assert.Equal(TimeSpan.Zero, next?.Offset);
    }

    [Fact]
    public void GetNextOccurrence_DefaultScheduleOverLeapYear_FiresFourTimesADay()
    {
        var schedule = ScanSchedule.Parse("0 0 */6 * * *");
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
            int[]? daysOfWeek = random.Next(2) == 0 ? null : Pick(random, 0, 6, 1, 2);
            var expression = string.Join(' ', Format(seconds), Format(minutes), Format(hours), Format(days), Format(months), Format(daysOfWeek));
            var after = start.AddSeconds(random.NextInt64(0, 6L * 365 * 24 * 3600)).AddMilliseconds(random.Next(1000));

            var expected = Reference(seconds, minutes, hours, days, months, daysOfWeek, after);
            var actual = ScanSchedule.Parse(expression).GetNextOccurrence(after);

            Assert.True(expected == actual, $"'{expression}' after {after:O}: expected {expected:O}, got {actual:O}");
        }
    }

    [Theory]
    [InlineData("0 0 */6 * * *")]
    [InlineData("*/30 * * * *")]
    [InlineData("0 30 9 * * MON-FRI")]
    public void Parse_ValidExpression_KeepsExpression(string expression)
    {
        var schedule = ScanSchedule.Parse(expression);

        Assert.Equal(expression, schedule.Expression);
        Assert.Equal(expression, schedule.ToString());
    }

    [Fact]
    public void Parse_SurroundingWhitespace_IsTrimmed()
    {
        var schedule = ScanSchedule.Parse("  0 0 */6 * * *\t");

        Assert.Equal("0 0 */6 * * *", schedule.Expression);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ScanSchedule.Parse(null!));
    }

    [Fact]
    public void TryParse_Valid_ReturnsScheduleWithoutError()
    {
        var parsed = ScanSchedule.TryParse("0 0 */6 * * *", out var schedule, out var error);

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
        var parsed = ScanSchedule.TryParse(expression, out var schedule, out var error);

        Assert.False(parsed);
        Assert.Null(schedule);
        Assert.Equal("The schedule is empty; expected an NCRONTAB expression with seconds, such as '0 0 */6 * * *'.", error);
    }

    [Theory]
    [InlineData("0 0 * * *  * *", "'0 0 * * *  * *' is an invalid crontab expression. It must contain 6 components of a schedule in the sequence of seconds, minutes, hours, days, months, and days of week.")]
    [InlineData("0 */6 * *", "'0 */6 * *' is an invalid crontab expression. It must contain 6 components of a schedule in the sequence of seconds, minutes, hours, days, months, and days of week.")]
    [InlineData("every hour", "'every hour' is an invalid crontab expression. It must contain 6 components of a schedule in the sequence of seconds, minutes, hours, days, months, and days of week.")]
    [InlineData("60 * * * * *", "60 is higher than the maximum allowable value for the [Second] field. Value must be between 0 and 59 (all inclusive).")]
    [InlineData("0 60 * * * *", "60 is higher than the maximum allowable value for the [Minute] field. Value must be between 0 and 59 (all inclusive).")]
    [InlineData("60 * * * *", "60 is higher than the maximum allowable value for the [Minute] field. Value must be between 0 and 59 (all inclusive).")]
    [InlineData("0 0 24 * * *", "24 is higher than the maximum allowable value for the [Hour] field. Value must be between 0 and 23 (all inclusive).")]
    [InlineData("0 0 1,24 * * *", "24 is higher than the maximum allowable value for the [Hour] field. Value must be between 0 and 23 (all inclusive).")]
    [InlineData("0 0 99999999999 * * *", "a number is too large for any field.")]
    [InlineData("0 0 0 0 * *", "0 is lower than the minimum allowable value for the [Day] field. Value must be between 1 and 31 (all inclusive).")]
    [InlineData("0 0 0 32 * *", "32 is higher than the maximum allowable value for the [Day] field. Value must be between 1 and 31 (all inclusive).")]
    [InlineData("0 0 0 1 13 *", "13 is higher than the maximum allowable value for the [Month] field. Value must be between 1 and 12 (all inclusive).")]
    [InlineData("0 0 0 1 0 *", "0 is lower than the minimum allowable value for the [Month] field. Value must be between 1 and 12 (all inclusive).")]
    [InlineData("0 0 0 * * 8", "8 is higher than the maximum allowable value for the [DayOfWeek] field. Value must be between 0 and 6 (all inclusive).")]
    // Sunday is 0 only, as for the timer trigger.
    [InlineData("0 0 12 * * 7", "7 is higher than the maximum allowable value for the [DayOfWeek] field. Value must be between 0 and 6 (all inclusive).")]
    [InlineData("0 0 0 * * 5-7", "7 is higher than the maximum allowable value for the [DayOfWeek] field. Value must be between 0 and 6 (all inclusive).")]
    [InlineData("0 0 */x * * *", "'*/x' is not a valid [Hour] crontab field expression.")]
    [InlineData("0 0 */2/3 * * *", "'*/2/3' is not a valid [Hour] crontab field expression.")]
    [InlineData("0 0 1/ * * *", "'1/' is not a valid [Hour] crontab field expression.")]
    [InlineData("0 0 1,,2 * * *", "A crontab field value cannot be empty.")]
    [InlineData("0 0 1, * * *", "A crontab field value cannot be empty.")]
    [InlineData("0 0 -1 * * *", "'-1' is not a valid [Hour] crontab field expression.")]
    [InlineData("0 0 1- * * *", "'1-' is not a valid [Hour] crontab field expression.")]
    [InlineData("0 0 /2 * * *", "'/2' is not a valid [Hour] crontab field expression.")]
    [InlineData("0 0 1-2-3 * * *", "'1-2-3' is not a valid [Hour] crontab field expression.")]
    [InlineData("0 0 +1 * * *", "'+1' is not a valid [Hour] crontab field expression.")]
    [InlineData("0 0 MON * * *", "'MON' is not a valid [Hour] crontab field expression.")]
    [InlineData("0 0 0 * FOO *", "'FOO' is not a valid [Month] crontab field expression.")]
    // Quartz extensions, a common copy-paste mistake.
    [InlineData("0 0 0 ? * MON", "'?' is not a valid [Day] crontab field expression.")]
    [InlineData("0 0 0 L * *", "'L' is not a valid [Day] crontab field expression.")]
    [InlineData("0 0 0 15W * *", "'15W' is not a valid [Day] crontab field expression.")]
    [InlineData("0 0 0 * * 5L", "'5L' is not a valid [DayOfWeek] crontab field expression.")]
    [InlineData("0 0 0 * * 5#3", "'5#3' is not a valid [DayOfWeek] crontab field expression.")]
    [InlineData("0 0 0 * * ?", "'?' is not a valid [DayOfWeek] crontab field expression.")]
    public void TryParse_Invalid_ReturnsFalseWithErrorSayingWhy(string expression, string problem)
    {
        var parsed = ScanSchedule.TryParse(expression, out var schedule, out var error);

        Assert.False(parsed);
        Assert.Null(schedule);
        Assert.Equal($"Invalid schedule '{expression}': {problem}", error);
    }

    [Theory]
    [InlineData("0 0 25 * * *", "Invalid schedule '0 0 25 * * *': 25 is higher than the maximum allowable value for the [Hour] field. Value must be between 0 and 23 (all inclusive).")]
    [InlineData(" 0 0 * * ", "Invalid schedule '0 0 * *': '0 0 * *' is an invalid crontab expression. It must contain 6 components of a schedule in the sequence of seconds, minutes, hours, days, months, and days of week.")]
    [InlineData("0 0 0 L * *", "Invalid schedule '0 0 0 L * *': 'L' is not a valid [Day] crontab field expression.")]
    [InlineData("0 0 99999999999 * * *", "Invalid schedule '0 0 99999999999 * * *': a number is too large for any field.")]
    public void Parse_Invalid_ThrowsFormatExceptionSayingWhy(string expression, string message)
    {
        var exception = Assert.Throws<FormatException>(() => ScanSchedule.Parse(expression));

        Assert.Equal(message, exception.Message);
    }

    // NCrontab, and so the timer trigger, takes these as written; the README names them.
    [Theory]
    // A step of 0 is every value.
    [InlineData("0 */0 * * * *", "2025-01-15T10:02:30Z", "2025-01-15T10:03:00Z")]
    // A reversed range is read forwards: 5-1 is 1-5, and DEC-JAN every month.
    [InlineData("0 0 5-1 * * *", "2025-01-15T05:00:00Z", "2025-01-16T01:00:00Z")]
    [InlineData("0 0 0 1 DEC-JAN *", "2025-06-15T00:00:00Z", "2025-07-01T00:00:00Z")]
    // A name may be written in full or shortened to any prefix; the first match wins (T is Tuesday).
    [InlineData("0 0 0 * * MONDAY", "2025-01-15T00:00:00Z", "2025-01-20T00:00:00Z")]
    [InlineData("0 0 0 1 January *", "2025-06-15T00:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("0 0 0 * * T", "2025-01-15T00:00:00Z", "2025-01-21T00:00:00Z")]
    public void GetNextOccurrence_LenientForms_ReadAsTheTimerTriggerReadsThem(string expression, string after, string expected)
    {
        Assert.Equal(At(expected), ScanSchedule.Parse(expression).GetNextOccurrence(At(after)));
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
            var dayOfWeekMatches = daysOfWeek is null || daysOfWeek.Contains((int)date.DayOfWeek);
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
