namespace Compliance.Core.Reporting;

/// <summary>A part of a scan that failed as a whole.</summary>
/// <param name="Scope">A subscription id, or <c>subscriptions</c>.</param>
/// <param name="Message">Why.</param>
public sealed record ReportError(string Scope, string Message);
