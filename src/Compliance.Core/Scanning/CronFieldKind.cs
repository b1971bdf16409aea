namespace Compliance.Core.Scanning;

/// <summary>The six fields of an NCRONTAB schedule, in the order they are written.</summary>
internal enum CronFieldKind
{
    Second,
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
}
