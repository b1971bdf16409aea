using System.Text;
using System.Text.Json;
using Compliance.Functions.Hosting;
using Compliance.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Tests.Hosting;

/// <summary>
/// With App Service Authentication in front (Compliance:Api:Authentication = AppService), the caller's app roles decide:
/// Compliance.Read reads, Compliance.Operate also starts scans; no principal is a 401, a missing role a 403, and too
/// many of either from one address a 429. In the default mode the header is not believed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AppServiceAuthorizationMiddlewareTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> _appService = new()
    {
        ["Compliance:Api:Authentication"] = "AppService",
        [ComplianceWorker.EasyAuthEnabledSetting] = "True",
        ["Compliance:Api:FailedAuthenticationsPerMinute"] = "3",
    };

    [Fact]
    public async Task Invoke_AppService_RolesDecide()
    {
        var logs = new CapturingLoggerProvider();
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("a")), _appService, logs);

        Assert.Null(await RunAsync(harness, "Summary", Principal(ApiRoles.Read), "203.0.113.1"));
        Assert.Null(await RunAsync(harness, "Summary", Principal(ApiRoles.Operate), "203.0.113.1"));
        Assert.Null(await RunAsync(harness, "StartScan", Principal(ApiRoles.Operate), "203.0.113.1"));
        // Roles under the type the provider names in role_typ count as well.
        Assert.Null(await RunAsync(harness, "Dashboard", Principal(ApiRoles.Read, roleType: "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"), "203.0.113.1"));
        Assert.Null(await RunAsync(harness, "Health", null, "203.0.113.1"));

        Assert.Contains("Compliance.Operate", await RunAsync(harness, "StartScan", Principal(ApiRoles.Read), "203.0.113.2") is (403, var readerScan) ? readerScan : "not a 403", StringComparison.Ordinal);
        Assert.Equal(403, (await RunAsync(harness, "Summary", Principal("Something.Else"), "203.0.113.3"))?.Status);
        // A function missing from the table counts as operating.
        Assert.Equal(403, (await RunAsync(harness, "DeleteEverything", Principal(ApiRoles.Read), "203.0.113.4"))?.Status);
        Assert.Equal(401, (await RunAsync(harness, "Summary", null, "203.0.113.5"))?.Status);
        Assert.Equal(401, (await RunAsync(harness, "Summary", "not base64 at all", "203.0.113.6"))?.Status);
        Assert.Equal(401, (await RunAsync(harness, "Summary", Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"claims\": 7}")), "203.0.113.7"))?.Status);

        // Three failures from one address: the fourth request is refused before its principal is looked at.
        foreach (var attempt in new[] { 1, 2, 3 })
        {
            Assert.Equal(401, (await RunAsync(harness, "Summary", null, "198.51.100.9"))?.Status);
        }

        Assert.Equal(429, (await RunAsync(harness, "Summary", Principal(ApiRoles.Operate), "198.51.100.9"))?.Status);
        Assert.Null(await RunAsync(harness, "Summary", Principal(ApiRoles.Read), "198.51.100.10"));
        Assert.Equal(9, logs.Entries.Count(e => e.Category == typeof(FailedAuthenticationLimiter).FullName && e.EventId.Id == 7010));
    }

    [Fact]
    public async Task Invoke_FunctionKeysMode_HeaderNotBelieved()
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("a")));

        // The host checked the function key; a principal header nobody vouches for changes nothing, either way.
        Assert.Null(await RunAsync(harness, "StartScan", null, "203.0.113.1"));
        Assert.Null(await RunAsync(harness, "StartScan", Principal(ApiRoles.Read), "203.0.113.1"));
    }

    [Fact]
    public async Task Options_AppServiceWithoutAppServiceAuthentication_FailsValidation()
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("a")), new Dictionary<string, string?> { ["Compliance:Api:Authentication"] = "AppService" });

        var error = Assert.Throws<OptionsValidationException>(() => harness.Services.GetRequiredService<IOptions<ApiOptions>>().Value);

        Assert.Contains(ComplianceWorker.EasyAuthEnabledSetting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_EveryHttpFunction_Classified()
    {
        var http = FunctionsMetadata.Load().Functions.Where(f => f.Trigger.Type == "httpTrigger").ToList();

        Assert.NotEmpty(http);
        Assert.All(http, f => Assert.True(ApiPermission.Find(f.Name) is not null, $"The function {f.Name} has no permission in ApiPermission."));
        Assert.Same(ApiPermission.Operate, ApiPermission.Of("StartScan"));
        // The anonymous function is the one classified anonymous, and the other way round.
        Assert.All(http, f => Assert.Equal(f.Trigger.AuthLevel == "Anonymous", ApiPermission.Find(f.Name) == ApiPermission.Anonymous));
    }

    // Null when the function ran; otherwise the status and detail of the problem written.
    private static async Task<(int Status, string Detail)?> RunAsync(FunctionsHarness harness, string function, string? principal, string forwardedFor)
    {
        var headers = new Dictionary<string, string> { ["X-Forwarded-For"] = forwardedFor };
        if (principal is not null)
        {
            headers[AppServicePrincipal.Header] = principal;
        }

        var http = harness.Request("GET", "/api/summary", headers: headers);
        var middleware = ActivatorUtilities.CreateInstance<AppServiceAuthorizationMiddleware>(harness.Services);
        var ran = false;
        await middleware.Invoke(new TestFunctionContext(harness.Services, function, http), _ =>
        {
            ran = true;
            return Task.CompletedTask;
        });
        if (ran)
        {
            return null;
        }

        var status = http.Response.StatusCode;
        return (status, HttpAnswer.Of(http).AssertProblem(status));
    }

    private static string Principal(string role, string? roleType = null)
    {
        var claims = new List<object> { new { typ = "name", val = "someone@example.com" }, new { typ = roleType ?? "roles", val = role } };
        var json = JsonSerializer.Serialize(new Dictionary<string, object?> { ["auth_typ"] = "aad", ["claims"] = claims, ["role_typ"] = roleType });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }
}
