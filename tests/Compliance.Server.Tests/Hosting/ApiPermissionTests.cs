using Compliance.Server.Hosting;
using Microsoft.AspNetCore.Routing;

namespace Compliance.Server.Tests.Hosting;

/// <summary>Every endpoint of compliance serve is classified, from the one table, and only reading is open to readers.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiPermissionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Map_EveryEndpoint_ClassifiedFromTheTable()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")));
        var endpoints = ((IEndpointRouteBuilder)app.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();

        Assert.NotEmpty(endpoints);
        var named = new Dictionary<string, ApiPermission>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            var permission = endpoint.Metadata.GetMetadata<ApiPermission>();
            Assert.True(permission is not null, $"{endpoint.DisplayName} ({endpoint.RoutePattern.RawText}) has no permission.");
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            if (methods.Any(m => m is not ("GET" or "HEAD")))
            {
                Assert.True(permission == ApiPermission.Operate, $"{endpoint.DisplayName} changes something but needs only {permission}.");
            }

            if (endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name)
            {
                Assert.Same(ApiPermission.Of(name), permission);
                named[name] = permission;
            }
        }

        // Every route of the table exists, so the Functions app (which looks its functions up by name) and serve agree.
        Assert.Equal(ApiPermission.Routes.Keys.Order(StringComparer.Ordinal), named.Keys.Order(StringComparer.Ordinal));
        Assert.Same(ApiPermission.Operate, named["StartScan"]);
        Assert.Same(ApiPermission.Anonymous, named["Health"]);
    }

    [Fact]
    public void Of_UnknownRoute_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApiPermission.Of("DeleteEverything"));

        Assert.Contains("DeleteEverything", error.Message, StringComparison.Ordinal);
    }
}
