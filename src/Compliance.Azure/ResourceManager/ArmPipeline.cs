using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;

namespace Compliance.Azure.ResourceManager;

/// <summary>
/// The HTTP pipeline of an <see cref="ArmClient"/> (its credential, transport and rate-limit aware retry policy), for
/// the few calls the typed SDK does not make the way a scan needs, such as polling a Run Command operation exactly
/// when its <c>Retry-After</c> says, or starting one with a request body shared by every machine. ARM resources expose their pipeline to subclasses only, hence this small one.
/// </summary>
internal sealed class ArmPipeline : ArmResource
{
    private ArmPipeline(ArmClient client)
        : base(client, new ResourceIdentifier("/"))
    {
    }

    /// <summary>The client's pipeline and its ARM endpoint.</summary>
    public static (HttpPipeline Pipeline, Uri Endpoint) Of(ArmClient client)
    {
        var resource = new ArmPipeline(client);
        return (resource.Pipeline, resource.Endpoint);
    }

    /// <summary>The api-version the client is set to use for <paramref name="type"/>, or <paramref name="otherwise"/>.</summary>
    public static string ApiVersion(ArmClient client, ResourceType type, string otherwise) =>
        new ArmPipeline(client).TryGetApiVersion(type, out var version) ? version : otherwise;
}
