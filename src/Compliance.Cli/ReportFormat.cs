namespace Compliance.Cli;

/// <summary>How a report is written.</summary>
internal enum ReportFormat
{
    /// <summary>The report format (JSON).</summary>
    Json,

    /// <summary>A table for people.</summary>
    Table,

    /// <summary>CSV, one row per resource.</summary>
    Csv,
}
