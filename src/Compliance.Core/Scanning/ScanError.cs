namespace Compliance.Core.Scanning;

/// <summary>A part of a scan that failed as a whole (a subscription that could not be listed, for example).</summary>
/// <param name="Scope">What failed: a subscription id, or <c>subscriptions</c>.</param>
/// <param name="Message">Why, in one line.</param>
public sealed record ScanError(string Scope, string Message);
