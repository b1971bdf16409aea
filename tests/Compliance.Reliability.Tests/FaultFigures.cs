namespace Compliance.Reliability.Tests;

/// <summary>What one fault case did and what it found once the system had converged.</summary>
/// <param name="Fault">The fault, in words.</param>
/// <param name="Injected">What was injected, in words with counts (e.g. "41 errors").</param>
/// <param name="Machines">Machines in the fleet.</param>
/// <param name="Scans">Scans run, the converging one included.</param>
/// <param name="VerdictsLost">Machines without their true verdict in the store once converged.</param>
/// <param name="WrongCompliant">Times a machine was stored <c>Compliant</c> when it is not, at any point.</param>
/// <param name="HistoryGaps">History entries whose "from" is not the entry before it, or a state its newest entry does not reach.</param>
/// <param name="HistoryDuplicates">History entries written twice for one change.</param>
/// <param name="NotificationsDue">Notifications due, summed over the sinks.</param>
/// <param name="NotificationsDuplicated">Deliveries beyond the first of one notification, summed over the sinks.</param>
/// <param name="NotificationsMissed">Due notifications a sink never accepted.</param>
/// <param name="NotificationsUnexpected">Notifications accepted that no change called for.</param>
public sealed record FaultFigures(
    string Fault,
    string Injected,
    int Machines,
    int Scans,
    int VerdictsLost,
    int WrongCompliant,
    int HistoryGaps,
    int HistoryDuplicates,
    int NotificationsDue,
    int NotificationsDuplicated,
    int NotificationsMissed,
    int NotificationsUnexpected)
{
    /// <summary>The figures of a case from what <see cref="Convergence"/> found once it had converged.</summary>
    internal static FaultFigures Of(string fault, string injected, int machines, int scans, int wrongCompliant, ConvergenceReport report) => new(
        fault,
        injected,
        machines,
        scans,
        report.VerdictsLost,
        wrongCompliant,
        report.HistoryGaps,
        report.HistoryDuplicates,
        report.NotificationsDue,
        report.NotificationsDuplicated,
        report.NotificationsMissed,
        report.NotificationsUnexpected);

    /// <summary>Whether the case converged with nothing lost, wrong, duplicated or missed.</summary>
    public bool Clean =>
        VerdictsLost == 0 && WrongCompliant == 0 && HistoryGaps == 0 && HistoryDuplicates == 0
        && NotificationsDuplicated == 0 && NotificationsMissed == 0 && NotificationsUnexpected == 0;
}
