using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Server.Api;

/// <summary>One resource: its verdict (with the last known one beside an Unknown) and its history, newest first.</summary>
public sealed record ResourceDetail(ReportResource Resource, IReadOnlyList<HistoryEntry> History);
