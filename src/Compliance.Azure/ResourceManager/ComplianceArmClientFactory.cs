using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Compliance.Azure.ResourceManager.Throttling;

namespace Compliance.Azure.ResourceManager;

/// <summary>Creates the <see cref="ArmClient"/> the adapters use, for Azure or for any ARM endpoint.</summary>
public static class ComplianceArmClientFactory
{
    /// <summary>The most connections the client opens to the ARM endpoint.</summary>
    public const int MaxConnections = 64;

    /// <summary>
    /// Creates a client for <see cref="ArmOptions.Endpoint"/> (Azure when unset). When
    /// <paramref name="pinnedServerCertificate"/> is given, the client trusts exactly that certificate (the loopback
    /// emulator); otherwise it keeps the default TLS validation. Its retry policy is rate-limit aware
    /// (<see cref="ArmThrottlingPolicy"/>): it paces requests to the buckets ARM and Compute report, waits out 429s, and
    /// waits on <paramref name="timeProvider"/>; <paramref name="statistics"/>, when given, counts what it sent.
    /// <paramref name="paced"/> <see langword="false"/> turns the pacing off, for the benchmark's baseline only.
    /// </summary>
    public static ArmClient Create(
        ArmOptions options,
        TokenCredential credential,
        X509Certificate2? pinnedServerCertificate = null,
        TimeProvider? timeProvider = null,
        ArmRequestStatistics? statistics = null,
        ArmRateLimits? limits = null,
        bool paced = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);

        var clientOptions = new ArmClientOptions();
        if (options.Endpoint is not null)
        {
            clientOptions.Environment = new ArmEnvironment(options.Endpoint, options.Audience);
        }

        var governor = new ArmRateGovernor(limits ?? ArmRateLimits.Azure, timeProvider ?? TimeProvider.System);
        clientOptions.RetryPolicy = new ArmThrottlingPolicy(governor, statistics ?? new ArmRequestStatistics(), options.MaxRetries, options.RetryDelay, paced);
        // Hundreds of checks wait at once, but the limits allow a few dozen requests a second: a bounded pool keeps
        // them from opening a TLS connection each (memory that would grow with the scan's concurrency).
        var handler = pinnedServerCertificate is not null ? PinnedCertificateHandler.Create(pinnedServerCertificate) : new HttpClientHandler();
        handler.MaxConnectionsPerServer = MaxConnections;
        clientOptions.Transport = new HttpClientTransport(handler);

        return new ArmClient(credential, defaultSubscriptionId: null, clientOptions);
    }
}
