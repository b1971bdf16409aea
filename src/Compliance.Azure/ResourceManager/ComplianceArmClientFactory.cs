using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;

namespace Compliance.Azure.ResourceManager;

/// <summary>Creates the <see cref="ArmClient"/> the adapters use, for Azure or for any ARM endpoint.</summary>
public static class ComplianceArmClientFactory
{
    /// <summary>
    /// Creates a client for <see cref="ArmOptions.Endpoint"/> (Azure when unset). When
    /// <paramref name="pinnedServerCertificate"/> is given, the client trusts exactly that certificate (the loopback
    /// emulator); otherwise it keeps the default TLS validation.
    /// </summary>
    public static ArmClient Create(ArmOptions options, TokenCredential credential, X509Certificate2? pinnedServerCertificate = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);

        var clientOptions = new ArmClientOptions();
        if (options.Endpoint is not null)
        {
            clientOptions.Environment = new ArmEnvironment(options.Endpoint, options.Audience);
        }

        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        if (pinnedServerCertificate is not null)
        {
            clientOptions.Transport = new HttpClientTransport(PinnedCertificateHandler.Create(pinnedServerCertificate));
        }

        return new ArmClient(credential, defaultSubscriptionId: null, clientOptions);
    }
}
