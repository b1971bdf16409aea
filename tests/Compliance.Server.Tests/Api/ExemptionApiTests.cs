using System.Net;
using System.Text;
using System.Text.Json;

namespace Compliance.Server.Tests.Api;

/// <summary>
/// <c>/api/exemptions</c> through <c>compliance serve</c>: the read key lists and reads, only the operator key makes,
/// replaces and removes; bad input is a 400 problem naming the field; versions are checked; the author is the key's name.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExemptionApiTests(AzuriteFixture azurite)
{
    private const string ReadKey = "a-read-key-of-32-characters-long";
    private const string OperatorKey = "an-operator-key-of-32-characters";

    private static readonly string _scope = $"/subscriptions/{Fleets.Subscription}/resourceGroups/{Fleets.ResourceGroup}";

    private static string Body(string justification = "isolated build agents; patched with the next image", string? scope = null, DateTimeOffset? expiresOn = null) =>
        JsonSerializer.Serialize(new
        {
            scope = scope ?? _scope,
            category = "Waiver",
            actions = new[] { "GuestUpdate" },
            findingCodes = Array.Empty<string>(),
            expiresOn = expiresOn ?? DateTimeOffset.UtcNow.AddDays(30),
            justification,
        });

    [Fact]
    public async Task Exemptions_Permissions_Validation_Versions_AndHistory()
    {
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1", guest: Fleets.Unpatched())),
            settings: new Dictionary<string, string?> { ["Compliance:Api:ReadKey"] = ReadKey, ["Compliance:Api:OperatorKey"] = OperatorKey, ["Compliance:Api:FailedAuthenticationsPerMinute"] = "1000" },
            urls: "http://0.0.0.0:0");

        using (var anonymous = await SendAsync(app, HttpMethod.Get, "api/exemptions", null))
        {
            await AppUnderTest.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        }

        using (var list = await SendAsync(app, HttpMethod.Get, "api/exemptions", ReadKey))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Equal(0, (await AppUnderTest.ReadJsonAsync(list)).GetArrayLength());
        }

        using (var readerPut = await SendAsync(app, HttpMethod.Put, "api/exemptions/w1", ReadKey, Body()))
        {
            await AppUnderTest.AssertProblemAsync(readerPut, HttpStatusCode.Forbidden);
        }

        using (var readerDelete = await SendAsync(app, HttpMethod.Delete, "api/exemptions/w1", ReadKey))
        {
            await AppUnderTest.AssertProblemAsync(readerDelete, HttpStatusCode.Forbidden);
        }

        using (var anonymousPut = await SendAsync(app, HttpMethod.Put, "api/exemptions/w1", null, Body()))
        {
            await AppUnderTest.AssertProblemAsync(anonymousPut, HttpStatusCode.Unauthorized);
        }

        // Bad input: a 400 problem whose errors name the fields, never a 500.
        using (var bad = await SendAsync(app, HttpMethod.Put, "api/exemptions/w1", OperatorKey, "{\"scope\":\"/subscriptions/x\",\"category\":\"Forever\",\"actions\":[\"Reboot\"],\"expiresOn\":\"2001-01-01T00:00:00Z\",\"justification\":\"\"}"))
        {
            await AppUnderTest.AssertProblemAsync(bad, HttpStatusCode.BadRequest);
            var errors = (await AppUnderTest.ReadJsonAsync(bad)).GetProperty("errors");
            Assert.Equal(["actions", "category", "expiresOn", "justification", "scope"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }

        foreach (var (path, body) in new[] { ("api/exemptions/w1", "not json"), ("api/exemptions/w1", "{\"scope\":1}"), ("api/exemptions/w1", "{\"unknown\":true}"), ("api/exemptions/bad%20id", Body()), ("api/exemptions/w1", "") })
        {
            using var refused = await SendAsync(app, HttpMethod.Put, path, OperatorKey, body);
            await AppUnderTest.AssertProblemAsync(refused, HttpStatusCode.BadRequest);
        }

        string etag;
        using (var created = await SendAsync(app, HttpMethod.Put, "api/exemptions/w1", OperatorKey, Body()))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("/api/exemptions/w1", created.Headers.Location?.ToString());
            etag = created.Headers.ETag!.ToString();
            var view = await AppUnderTest.ReadJsonAsync(created);
            Assert.Equal("api-key:operator", view.GetProperty("createdBy").GetString());
            Assert.Equal("active", view.GetProperty("state").GetString());
        }

        using (var replaced = await SendAsync(app, HttpMethod.Put, "api/exemptions/w1", OperatorKey, Body("replaced"), ifMatch: etag))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        using (var stale = await SendAsync(app, HttpMethod.Put, "api/exemptions/w1", OperatorKey, Body("stale"), ifMatch: etag))
        {
            await AppUnderTest.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        }

        using (var detail = await SendAsync(app, HttpMethod.Get, "api/exemptions/w1", ReadKey))
        {
            Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
            var json = await AppUnderTest.ReadJsonAsync(detail);
            Assert.Equal("replaced", json.GetProperty("exemption").GetProperty("justification").GetString());
            Assert.Equal(["Updated", "Created"], json.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("change").GetString()));
        }

        using (var filtered = await SendAsync(app, HttpMethod.Get, $"api/exemptions?state=all&scope={Uri.EscapeDataString(Fleets.VmId("web-1"))}", ReadKey))
        {
            Assert.Equal("w1", Assert.Single((await AppUnderTest.ReadJsonAsync(filtered)).EnumerateArray()).GetProperty("id").GetString());
        }

        using (var badState = await SendAsync(app, HttpMethod.Get, "api/exemptions?state=bogus", ReadKey))
        {
            await AppUnderTest.AssertProblemAsync(badState, HttpStatusCode.BadRequest);
        }

        using (var missing = await SendAsync(app, HttpMethod.Get, "api/exemptions/none", ReadKey))
        {
            await AppUnderTest.AssertProblemAsync(missing, HttpStatusCode.NotFound);
        }

        using (var removed = await SendAsync(app, HttpMethod.Delete, "api/exemptions/w1", OperatorKey))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        using (var again = await SendAsync(app, HttpMethod.Delete, "api/exemptions/w1", OperatorKey))
        {
            await AppUnderTest.AssertProblemAsync(again, HttpStatusCode.NotFound);
        }

        using var openApi = await SendAsync(app, HttpMethod.Get, "api/openapi.json", ReadKey);
        var paths = (await AppUnderTest.ReadJsonAsync(openApi)).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/exemptions", out _));
        Assert.True(paths.GetProperty("/api/exemptions/{id}").TryGetProperty("put", out _));
    }

    private static async Task<HttpResponseMessage> SendAsync(AppUnderTest app, HttpMethod method, string path, string? key, string? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await app.Http.SendAsync(request);
    }
}
