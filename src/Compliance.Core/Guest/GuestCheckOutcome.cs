namespace Compliance.Core.Guest;

/// <summary>The result of checking a guest: either a report or a failure, never both.</summary>
public sealed record GuestCheckOutcome
{
    private GuestCheckOutcome(GuestReport? report, GuestCheckFailure? failure)
    {
        Report = report;
        Failure = failure;
    }

    /// <summary>The guest's report, when the check produced one.</summary>
    public GuestReport? Report { get; }

    /// <summary>Why there is no report, when there is none.</summary>
    public GuestCheckFailure? Failure { get; }

    /// <summary>A check that produced a report.</summary>
    public static GuestCheckOutcome Reported(GuestReport report) => new(report ?? throw new ArgumentNullException(nameof(report)), null);

    /// <summary>A check that produced no report.</summary>
    public static GuestCheckOutcome Failed(GuestCheckFailure failure) => new(null, failure ?? throw new ArgumentNullException(nameof(failure)));
}
