namespace Compliance.Benchmarks;

/// <summary>
/// What the parent hands a scan worker on its standard input (never on the command line: the token and the storage
/// key are not for <c>ps</c>).
/// </summary>
internal sealed record WorkerRequest
{
    public required RunMode Mode { get; init; }

    public required Uri ArmEndpoint { get; init; }

    /// <summary>The emulator's certificate (DER), the only one the worker trusts.</summary>
    public required byte[] Certificate { get; init; }

    public required string AccessToken { get; init; }

    public required string StorageConnectionString { get; init; }

    public required string TablePrefix { get; init; }

    public required Uri Webhook { get; init; }

    public required string WebhookSecret { get; init; }

    /// <summary>The platform time at <see cref="ClockAnchor"/>, so that the worker's clock runs with the emulator's.</summary>
    public required DateTimeOffset PlatformAtAnchor { get; init; }

    /// <summary>A real (wall-clock) instant both processes read.</summary>
    public required DateTimeOffset ClockAnchor { get; init; }

    public required double Scale { get; init; }

    public required int MaxConcurrency { get; init; }

    public required int BatchSize { get; init; }

    public required int MaxConcurrentBatches { get; init; }
}
