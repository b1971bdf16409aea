namespace Compliance.Reliability.Tests;

/// <summary>One hostile input and how the system answered it.</summary>
/// <param name="Area">Where the input enters: guest output, the resource-change queue, the HTTP API.</param>
/// <param name="Input">The input, in words.</param>
/// <param name="Answer">What the system answered (a status, a verdict, where a queue message went).</param>
/// <param name="StoreUntouched">Whether the store was left as it was; <see langword="null"/> where the input is meant to change it (a verdict).</param>
public sealed record HostileFigures(string Area, string Input, string Answer, bool? StoreUntouched);
