using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using Azure;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Azure.ResourceManager.Resources;
using Azure.ResourceManager.Resources.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Emulator.Tests;

public sealed class ArmEmulatorTests
{
    [Fact]
    public async Task StartAsync_AnyFleet_ServesHttpsOnLoopbackWithTrailingSlash()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        Assert.Equal("https", emulator.Endpoint.Scheme);
        Assert.Equal("127.0.0.1", emulator.Endpoint.Host);
        Assert.NotEqual(0, emulator.Endpoint.Port);
        Assert.Equal($"https://127.0.0.1:{emulator.Endpoint.Port}/", emulator.Endpoint.AbsoluteUri);
        Assert.False(emulator.Certificate.HasPrivateKey);
    }

    [Fact]
    public async Task StartAsync_TwoEmulators_GetDifferentTokensPortsAndCertificates()
    {
        await using var first = await ArmEmulator.StartAsync(TestFleets.Standard());
        await using var second = await ArmEmulator.StartAsync(TestFleets.Standard());

        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.NotEqual(first.Endpoint.Port, second.Endpoint.Port);
        Assert.NotEqual(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
    }

    [Fact]
    public async Task AccessToken_AnyStart_IsAnUnsignedJwtNamingTheCallerPrincipalLikeAManagedIdentitysArmToken()
    {
        var now = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(now) });

        var parts = emulator.AccessToken.Split('.');

        Assert.Equal(3, parts.Length);
        Assert.Empty(parts[2]);
        using var header = JsonDocument.Parse(Base64Url(parts[0]));
        using var payload = JsonDocument.Parse(Base64Url(parts[1]));
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        Assert.Equal("none", header.RootElement.GetProperty("alg").GetString());
        var claims = payload.RootElement;
        Assert.Equal(emulator.CallerPrincipalId, claims.GetProperty("oid").GetString());
        Assert.Equal(emulator.Caller.ObjectId, emulator.CallerPrincipalId);
        Assert.Equal(emulator.Caller.ApplicationId, claims.GetProperty("appid").GetString());
        Assert.Equal(EventCaller.ServicePrincipal, emulator.Caller.PrincipalType);
        Assert.Equal("https://management.azure.com/", claims.GetProperty("aud").GetString());
        var tenant = claims.GetProperty("tid").GetString();
        Assert.True(Guid.TryParseExact(tenant, "D", out _));
        Assert.Equal($"https://sts.windows.net/{tenant}/", claims.GetProperty("iss").GetString());
        Assert.Equal(now.ToUnixTimeSeconds(), claims.GetProperty("iat").GetInt64());
        Assert.True(claims.GetProperty("exp").GetInt64() > now.ToUnixTimeSeconds());
        Assert.True(Guid.TryParseExact(emulator.CallerPrincipalId, "D", out _));
    }

    [Fact]
    public async Task AnyRequest_AnotherStartsTokenForTheSamePrincipal_Returns401()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        await using var other = await ArmEmulator.StartAsync(TestFleets.Standard());
        using var http = new HttpClient(ArmClientFactory.PinnedHandler(emulator));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.Endpoint, "subscriptions?api-version=2022-12-01"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", other.AccessToken);

        using var response = await http.SendAsync(request);

        // Same header, same principal, another random token id: only the whole token counts.
        Assert.Equal(other.AccessToken.Split('.')[0], emulator.AccessToken.Split('.')[0]);
        Assert.Equal(other.CallerPrincipalId, emulator.CallerPrincipalId);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetSubscriptions_ThroughSdk_ListsFleetSubscriptionsWithArmFields()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var client = ArmClientFactory.Create(emulator);

        var subscriptions = new List<SubscriptionResource>();
        await foreach (var subscription in client.GetSubscriptions().GetAllAsync())
        {
            subscriptions.Add(subscription);
        }

        Assert.Equal([TestFleets.SubscriptionId, TestFleets.SecondSubscriptionId], subscriptions.Select(s => s.Data.SubscriptionId));
        Assert.Equal(["production", "subscription-22222222"], subscriptions.Select(s => s.Data.DisplayName));
        Assert.Equal(SubscriptionState.Enabled, subscriptions[0].Data.State);
        Assert.Equal("RoleBased", subscriptions[0].Data.AuthorizationSource);
        Assert.Equal("PayAsYouGo_2014-09-01", subscriptions[0].Data.SubscriptionPolicies.QuotaId);
        Assert.Equal(SpendingLimit.Off, subscriptions[0].Data.SubscriptionPolicies.SpendingLimit);
        Assert.NotNull(subscriptions[0].Data.TenantId);
    }

    [Fact]
    public async Task GetSubscription_KnownId_ReturnsIt()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var client = ArmClientFactory.Create(emulator);

        SubscriptionResource subscription = await client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(TestFleets.SecondSubscriptionId)).GetAsync();

        Assert.Equal("subscription-22222222", subscription.Data.DisplayName);
        Assert.Equal($"/subscriptions/{TestFleets.SecondSubscriptionId}", subscription.Id.ToString());
    }

    [Fact]
    public async Task GetSubscription_UnknownId_Returns404SubscriptionNotFound()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var client = ArmClientFactory.Create(emulator);
        var unknown = "33333333-3333-3333-3333-333333333333";

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(unknown)).GetAsync());

        Assert.Equal(404, error.Status);
        Assert.Equal("SubscriptionNotFound", error.ErrorCode);
        Assert.StartsWith($"The subscription '{unknown}' could not be found.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResourceGroup_FromFleet_ReturnsItWithLocationOfFirstResource()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var client = ArmClientFactory.Create(emulator);
        var subscription = client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(TestFleets.SubscriptionId));

        ResourceGroupResource group = await subscription.GetResourceGroupAsync("RG-APP");
        var names = new List<string>();
        await foreach (var vm in group.GetVirtualMachines().GetAllAsync())
        {
            names.Add(vm.Data.Name);
        }

        Assert.Equal("rg-app", group.Data.Name);
        Assert.Equal("northeurope", group.Data.Location.Name);
        Assert.Equal(11, names.Count);
        Assert.DoesNotContain("win-ok", names);
    }

    [Fact]
    public async Task AnyRequest_WrongToken_Returns401AuthenticationFailed()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var client = ArmClientFactory.Create(emulator, token: "not-the-token");

        var error = await Assert.ThrowsAsync<RequestFailedException>(async () =>
        {
            await foreach (var subscription in client.GetSubscriptions().GetAllAsync())
            {
                Assert.Fail($"Listed {subscription.Id} without a valid token.");
            }
        });

        Assert.Equal(401, error.Status);
        Assert.Equal("AuthenticationFailed", error.ErrorCode);
        Assert.Equal(401, Assert.Single(emulator.Requests).StatusCode);
    }

    [Fact]
    public async Task Tls_ArmClientWithDefaultValidation_RefusesTheCertificate_PinnedClientSucceeds()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var options = new ArmClientOptions { Environment = new ArmEnvironment(emulator.Endpoint, "https://management.azure.com/") };
        options.Retry.MaxRetries = 0;
        var untrusting = new ArmClient(new EmulatorTokenCredential(emulator.AccessToken), defaultSubscriptionId: null, options);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(async () =>
        {
            await foreach (var _ in untrusting.GetSubscriptions().GetAllAsync())
            {
            }
        });
        var subscriptions = new List<SubscriptionResource>();
        await foreach (var subscription in ArmClientFactory.Create(emulator).GetSubscriptions().GetAllAsync())
        {
            subscriptions.Add(subscription);
        }

        Assert.IsType<AuthenticationException>(failure.InnerException?.InnerException ?? failure.InnerException);
        Assert.Equal(2, subscriptions.Count);
        // The refused client never got a request through: the only requests the emulator saw are the pinned client's.
        Assert.All(emulator.Requests, r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task AnyRequest_WithoutApiVersion_Returns400MissingApiVersionParameter()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        using var http = new HttpClient(ArmClientFactory.PinnedHandler(emulator));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.Endpoint, "subscriptions"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", emulator.AccessToken);

        using var response = await http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("MissingApiVersionParameter", body.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task UnknownRoute_ThroughSdk_Returns404InvalidResourceType()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var client = ArmClientFactory.Create(emulator);
        var subscription = client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(TestFleets.SubscriptionId));

        var error = await Assert.ThrowsAsync<RequestFailedException>(async () =>
        {
            await foreach (var set in subscription.GetAvailabilitySetsAsync())
            {
                Assert.Fail($"Listed {set.Id} from a route the emulator does not serve.");
            }
        });

        Assert.Equal(404, error.Status);
        Assert.Equal("InvalidResourceType", error.ErrorCode);
    }

    [Fact]
    public async Task Requests_AfterCalls_RecordMethodTargetStatusAndTime()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = clock });
        var client = ArmClientFactory.Create(emulator);

        await client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(TestFleets.SubscriptionId)).GetAsync();

        var request = Assert.Single(emulator.Requests);
        Assert.Equal("GET", request.Method);
        Assert.StartsWith($"/subscriptions/{TestFleets.SubscriptionId}?api-version=", request.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(200, request.StatusCode);
        Assert.Equal(clock.GetUtcNow(), request.At);
    }

    [Fact]
    public async Task Requests_ConcurrentRequests_JournalAndRequestCountHoldThemAll()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        using var http = new ArmHttp(emulator);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = 0; i < 25; i++)
            {
                await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01");
            }
        }));
        var requests = emulator.Requests;

        Assert.Equal(200, emulator.RequestCount);
        Assert.Equal(200, requests.Count);
        Assert.All(requests, r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task StartAsync_WithLoggerFactory_LogsThroughIt()
    {
        var provider = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(provider));

        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { LoggerFactory = loggerFactory });

        Assert.Contains($"Now listening on: https://127.0.0.1:{emulator.Endpoint.Port}", provider.Entries.Select(e => e.Message));
    }

    [Fact]
    public async Task DisposeAsync_Started_FreesThePort()
    {
        var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var port = emulator.Endpoint.Port;

        await emulator.DisposeAsync();
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();

        Assert.Equal(port, ((IPEndPoint)listener.LocalEndpoint).Port);
    }

    [Fact]
    public async Task StartAsync_FleetBuiltInCodeWithBadSubscriptionId_ThrowsFleetFormatException()
    {
        var fleet = new FleetDocument { Subscriptions = [new FleetSubscription { SubscriptionId = "prod", DisplayName = "prod" }] };

        var error = await Assert.ThrowsAsync<FleetFormatException>(() => ArmEmulator.StartAsync(fleet));

        Assert.Equal("fleet: $.subscriptions[0].subscriptionId: 'prod' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).", error.Message);
    }

    [Fact]
    public async Task StartAsync_PageSizeZero_ThrowsArgumentOutOfRange()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { PageSize = 0 }));
    }

    [Fact]
    public async Task UpdateMachine_DeallocateVmByIdInOtherCasing_StatusOnlyListServesDeallocated()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        emulator.UpdateMachine(
            $"/SUBSCRIPTIONS/{TestFleets.SubscriptionId}/resourcegroups/RG-RDS/providers/microsoft.compute/virtualmachines/WIN-OK",
            machine => machine with { PowerState = FleetPowerState.Deallocated });
        var states = new Dictionary<string, string>();
        await foreach (var vm in VirtualMachineEndpointsTests.Subscription(emulator).GetVirtualMachinesAsync(statusOnly: "true"))
        {
            states[vm.Data.Name] = vm.Data.InstanceView.Statuses[1].Code;
        }

        Assert.Equal("PowerState/deallocated", states["win-ok"]);
        Assert.Equal("PowerState/running", states["linux-ok"]);
        Assert.Equal(12, states.Count);
    }

    [Fact]
    public async Task UpdateMachine_NewGuestOnScaleSetInstance_RunCommandPrintsIt()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var guest = TestFleets.LinuxGuest.Replace("Mitigation: PTI", "Vulnerable", StringComparison.Ordinal);
        using var report = JsonDocument.Parse(guest);
        var instanceId = $"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss/virtualMachines/0";

        emulator.UpdateMachine(instanceId, machine => machine with { Guest = report.RootElement.Clone() });
        var instance = ArmClientFactory.Create(emulator).GetVirtualMachineScaleSetVmResource(
            VirtualMachineScaleSetVmResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-web", "web-vmss", "0"));
        var operation = await instance.RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunShellScript"));

        Assert.Equal($"Enable succeeded: \n[stdout]\n{guest}\n\n[stderr]\n", Assert.Single(operation.Value.Value).Message);
        var changed = Assert.Single(emulator.Fleet.Subscriptions[0].ScaleSets[0].Instances, i => i.InstanceId == "0");
        Assert.Equal(FleetPowerState.Running, changed.PowerState);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "team-7" }, changed.Tags);
    }

    [Fact]
    public async Task UpdateMachine_AgentNotReadyAndRunCommandFailure_AreServed()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var vmId = $"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/linux-ok";

        emulator.UpdateMachine(vmId, machine => machine with { RunCommand = new FleetRunCommand { Failure = FleetRunCommandFailure.Conflict } });
        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            VirtualMachineEndpointsTests.Vm(emulator, "rg-app", "linux-ok", ArmClientFactory.Create(emulator, maxRetries: 0))
                .RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunShellScript")));
        emulator.UpdateMachine(vmId, machine => machine with { AgentStatus = FleetAgentStatus.NotReady, RunCommand = null });

        Assert.Equal(409, error.Status);
        var vm = Assert.Single(emulator.Fleet.Subscriptions[0].VirtualMachines, v => v.Name == "linux-ok");
        Assert.Equal(FleetAgentStatus.NotReady, vm.AgentStatus);
        Assert.Null(vm.RunCommand);
        Assert.Equal("northeurope", vm.Location);
    }

    [Theory]
    [InlineData("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/no-such-vm")]
    [InlineData("/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-rds/providers/Microsoft.Compute/virtualMachines/win-ok")]
    [InlineData("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss/virtualMachines/99")]
    [InlineData("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-legacy/providers/Microsoft.Compute/cloudServices/legacy-api")]
    [InlineData("win-ok")]
    public async Task UpdateMachine_IdOfNoMachine_ThrowsArgumentExceptionAndKeepsTheFleet(string resourceId)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var before = emulator.Fleet;

        var error = Assert.Throws<ArgumentException>(() => emulator.UpdateMachine(resourceId, machine => machine with { PowerState = FleetPowerState.Stopped }));

        Assert.Equal("resourceId", error.ParamName);
        Assert.Same(before, emulator.Fleet);
    }

    [Fact]
    public async Task UpdateFleet_ResultBreaksTheFormat_ThrowsFleetFormatExceptionAndKeepsServingTheOldFleet()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var before = emulator.Fleet;

        var error = Assert.Throws<FleetFormatException>(() => emulator.UpdateFleet(fleet => new FleetDocument
        {
            Subscriptions = [.. fleet.Subscriptions, fleet.Subscriptions[0]],
        }));

        Assert.Equal("fleet: $.subscriptions[2].subscriptionId: subscription '11111111-1111-1111-1111-111111111111' appears twice.", error.Message);
        Assert.Same(before, emulator.Fleet);
    }

    [Fact]
    public async Task UpdateFleet_RemovesAVm_GetReturns404()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        emulator.UpdateFleet(fleet => new FleetDocument
        {
            Subscriptions = [fleet.Subscriptions[0] with { VirtualMachines = [.. fleet.Subscriptions[0].VirtualMachines.Where(vm => vm.Name != "win-ok")] }],
        });
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => VirtualMachineEndpointsTests.Vm(emulator, "rg-rds", "win-ok").GetAsync());

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
    }

    private static string Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(padded));
    }
}
