using System.Net;
using System.Text.Json;
using Compliance.Server.Hosting;

namespace Compliance.Server.Tests.Hosting;

/// <summary>
/// Whether the API needs a key is decided from the addresses the server bound, whatever way they were given: beyond
/// loopback without a read key the app does not start; with one it starts and requires it; loopback alone needs none.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ListenCheckTests(AzuriteFixture azurite)
{
    private const string ReadKey = "a-read-key-of-32-characters-long";

    // urls (--urls), further command-line arguments, and a Kestrel endpoint given as a setting (as the environment
    // variable Kestrel__Endpoints__Http__Url gives it).
    public static TheoryData<string, string[], string?> BeyondLoopback => new()
    {
        // The finding: a Kestrel endpoint overrides a loopback --urls, which was all that was checked.
        { "http://127.0.0.1:0", ["--Kestrel:Endpoints:Http:Url=http://0.0.0.0:0"], null },
        { "http://127.0.0.1:0", [], "http://0.0.0.0:0" },
        { "http://0.0.0.0:0", [], null },
        { "http://*:0", [], null },
        { "http://+:0", [], null },
        { "http://[::]:0", [], null },
        { "http://compliance.example:0", [], null },
        { "http://127.0.0.1:0;http://0.0.0.0:0", [], null },
    };

    [Theory]
    [MemberData(nameof(BeyondLoopback))]
    public async Task Start_BeyondLoopbackWithoutReadKey_Refused(string urls, string[] args, string? kestrelEndpoint)
    {
        var error = await Assert.ThrowsAsync<ListenRefusedException>(() => AppUnderTest.StartAsync(
            azurite, Fleets.Of(Fleets.Vm("web-1")), settings: Settings(kestrelEndpoint), urls: urls, args: args));

        Assert.Contains("beyond loopback", error.Message, StringComparison.Ordinal);
        Assert.Contains("Compliance:Api:ReadKey", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BeyondLoopback))]
    public async Task Start_BeyondLoopbackWithReadKey_StartsAndRequiresIt(string urls, string[] args, string? kestrelEndpoint)
    {
        var settings = Settings(kestrelEndpoint);
        settings["Compliance:Api:ReadKey"] = ReadKey;
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), settings: settings, urls: urls, args: args);

        using var anonymous = await app.Http.GetAsync("api/summary");
        await AppUnderTest.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/summary");
        request.Headers.Add("X-Api-Key", ReadKey);
        using var allowed = await app.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0", null)]
    [InlineData("http://[::1]:0", null)]
    [InlineData("http://localhost:{port}", null)]
    // Decided from what was bound: a loopback Kestrel endpoint overrides a wide --urls.
    [InlineData("http://0.0.0.0:0", "http://127.0.0.1:0")]
    public async Task Start_LoopbackOnlyWithoutKey_StartsOpen(string urls, string? kestrelEndpoint)
    {
        // Kestrel binds localhost to a fixed port only.
        urls = urls.Replace("{port}", LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), settings: Settings(kestrelEndpoint), urls: urls);

        Assert.Equal(JsonValueKind.Object, (await app.GetJsonAsync("api/summary")).GetProperty("summary").ValueKind);
    }

    private static Dictionary<string, string?> Settings(string? kestrelEndpoint) =>
        kestrelEndpoint is null ? [] : new() { ["Kestrel:Endpoints:Http:Url"] = kestrelEndpoint };
}
