using System.ComponentModel.DataAnnotations;
using Compliance.Core.Scanning;

namespace Compliance.Core.Tests.Scanning;

public sealed class ScanOptionsTests
{
    private static List<ValidationResult> Validate(ScanOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Defaults_AreValid_AndABatchFitsItsBudgetWithRoomToSpare()
    {
        var options = new ScanOptions();

        Assert.Empty(Validate(options));
        Assert.True(options.ExpectedBatchTime * 4 < options.BatchTimeBudget);
    }

    [Theory]
    [InlineData(100, 100, 16)] // the sizing the README gives for large fleets
    [InlineData(500, 500, 16)] // the largest batches, all started at once
    public void LargeFleetSizing_IsValid(int batchSize, int maxConcurrency, int maxConcurrentBatches) =>
        Assert.Empty(Validate(new ScanOptions { BatchSize = batchSize, MaxConcurrency = maxConcurrency, MaxConcurrentBatches = maxConcurrentBatches }));

    [Fact]
    public void BatchThatCannotFinishInItsBudget_IsRejectedWithWhatToChange()
    {
        // 500 machines one at a time: about 500 minutes of Run Commands.
        var options = new ScanOptions { BatchSize = 500, MaxConcurrency = 1 };

        var error = Assert.Single(Validate(options));

        Assert.Contains("BatchSize", error.MemberNames);
        Assert.Contains("lower BatchSize or raise MaxConcurrency", error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("20 minutes", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyLargeBatchesAtOnce_IsRejected()
    {
        // 64 x 500 machines behind one subscription's 10 writes a second: the last batch would wait 53 minutes.
        Assert.Single(Validate(new ScanOptions { BatchSize = 500, MaxConcurrency = 500, MaxConcurrentBatches = 64 }));
    }

    [Fact]
    public void ExpectedBatchTime_CountsRoundsOfRunCommandsAndTheWaitForWriteTokens()
    {
        var options = new ScanOptions { BatchSize = 20, MaxConcurrency = 8, MaxConcurrentBatches = 5 };

        // Three rounds of a minute, and 5 x 20 writes at 10 a second.
        Assert.Equal(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(10), options.ExpectedBatchTime);
    }

    [Theory]
    [InlineData("every hour", "Compliance:Scan:Schedule: Invalid schedule 'every hour': 'every hour' is an invalid crontab expression. It must contain 6 components of a schedule in the sequence of seconds, minutes, hours, days, months, and days of week.")]
    [InlineData("0 0 */6 * * 7", "Compliance:Scan:Schedule: Invalid schedule '0 0 */6 * * 7': 7 is higher than the maximum allowable value for the [DayOfWeek] field. Value must be between 0 and 6 (all inclusive).")]
    [InlineData("0 0 99999999999 * * *", "Compliance:Scan:Schedule: Invalid schedule '0 0 99999999999 * * *': a number is too large for any field.")]
    public void Schedule_Invalid_IsRejectedSayingWhy(string schedule, string message)
    {
        var error = Assert.Single(Validate(new ScanOptions { Schedule = schedule }));

        Assert.Equal([nameof(ScanOptions.Schedule)], error.MemberNames);
        Assert.Equal(message, error.ErrorMessage);
    }

    [Fact]
    public void BatchTimeBudget_OutOfRange_IsRejected()
    {
        var error = Assert.Single(Validate(new ScanOptions { BatchTimeBudget = TimeSpan.Zero }));

        Assert.Contains("BatchTimeBudget", error.MemberNames);
    }
}
