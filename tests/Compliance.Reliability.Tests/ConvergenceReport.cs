namespace Compliance.Reliability.Tests;

/// <summary>What <see cref="Convergence"/> found, with one line per problem for the assertion message.</summary>
internal sealed record ConvergenceReport(
    int VerdictsLost,
    int HistoryGaps,
    int HistoryDuplicates,
    int NotificationsDue,
    int NotificationsDuplicated,
    int NotificationsMissed,
    int NotificationsUnexpected,
    IReadOnlyList<string> Problems);
