namespace Compliance.Reliability.Tests;

/// <summary>One hostile input and how the system answered it.</summary>
/// <param name="Area">Where the input enters: guest output, Event Grid, HTTP API, Functions host.</param>
/// <param name="Input">The input, in words.</param>
/// <param name="Answer">What the system answered (a status, a verdict).</param>
/// <param name="StoreUntouched">Whether the store was left as it was; <see langword="null"/> where the input is meant to change it (a verdict).</param>
public sealed record HostileFigures(string Area, string Input, string Answer, bool? StoreUntouched);
