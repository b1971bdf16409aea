namespace Compliance.Emulator;

/// <summary>
/// A request the emulator received and the status it answered with.
/// </summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The request target exactly as sent, e.g. <c>/subscriptions?api-version=2022-12-01</c>.</param>
/// <param name="StatusCode">The HTTP status of the answer.</param>
/// <param name="At">When it was received, by the emulator's clock.</param>
public sealed record RecordedRequest(string Method, string PathAndQuery, int StatusCode, DateTimeOffset At);
