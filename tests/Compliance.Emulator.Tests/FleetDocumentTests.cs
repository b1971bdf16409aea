using System.Text.Json;

namespace Compliance.Emulator.Tests;

public sealed class FleetDocumentTests
{
    private const string SpecExample = """
        {
          "subscriptions": [ {
            "subscriptionId": "11111111-1111-1111-1111-111111111111",
            "displayName": "production",
            "virtualMachines": [ {
              "name": "rdsh-01", "resourceGroup": "rg-rds", "location": "westeurope",
              "osType": "Windows", "vmSize": "Standard_D4s_v3",
              "image": { "publisher": "MicrosoftWindowsServer", "offer": "WindowsServer", "sku": "2016-Datacenter", "version": "latest" },
              "powerState": "running",
              "agentStatus": "Ready",
              "tags": { "compliance-untrusted-code": "true" },
              "maintenance": { "isCustomerInitiatedMaintenanceAllowed": true,
                               "maintenanceWindowStartTime": "2030-01-09T00:00:00Z",
                               "maintenanceWindowEndTime": "2030-01-10T00:00:00Z" },
              "guest": { "schema": 1, "os": "Windows", "...": "any JSON object: the guest report" },
              "runCommand": { "latencyMs": 0, "failure": null, "rawOutput": null }
            } ],
            "scaleSets": [ {
              "name": "web-vmss", "resourceGroup": "rg-web", "location": "westeurope", "osType": "Linux",
              "instances": [ { "instanceId": "0", "powerState": "running", "agentStatus": "Ready", "guest": { } } ]
            } ],
            "cloudServices": [ {
              "name": "legacy-api", "resourceGroup": "rg-legacy", "location": "westeurope",
              "configuration": "<ServiceConfiguration serviceName=\"legacy-api\" osFamily=\"5\" osVersion=\"WA-GUEST-OS-5.14_201712-01\" schemaVersion=\"2015-04.2.6\" xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration\"><Role name=\"Web\"><Instances count=\"2\" /></Role></ServiceConfiguration>",
              "tags": { },
              "roles": [ { "name": "Web", "instances": 2 } ]
            } ]
          } ],
          "cloudServiceOsVersions": [
            { "version": "WA-GUEST-OS-5.15_201801-01", "family": "5", "isDefault": false, "isActive": true }
          ]
        }
        """;

    [Fact]
    public void Parse_SpecExample_ReadsEveryField()
    {
        var fleet = FleetDocument.Parse(SpecExample);

        var subscription = Assert.Single(fleet.Subscriptions);
        Assert.Equal("production", subscription.DisplayName);
        var vm = Assert.Single(subscription.VirtualMachines);
        Assert.Equal(("rdsh-01", "rg-rds", "westeurope", FleetOsType.Windows, "Standard_D4s_v3"), (vm.Name, vm.ResourceGroup, vm.Location, vm.OsType, vm.VmSize));
        Assert.Equal(new FleetImage { Publisher = "MicrosoftWindowsServer", Offer = "WindowsServer", Sku = "2016-Datacenter", Version = "latest" }, vm.Image);
        Assert.Equal(FleetPowerState.Running, vm.PowerState);
        Assert.Equal(FleetAgentStatus.Ready, vm.AgentStatus);
        Assert.Equal("true", vm.Tags["compliance-untrusted-code"]);
        Assert.Equal(
            new FleetMaintenance
            {
                IsCustomerInitiatedMaintenanceAllowed = true,
                MaintenanceWindowStartTime = new DateTimeOffset(2030, 1, 9, 0, 0, 0, TimeSpan.Zero),
                MaintenanceWindowEndTime = new DateTimeOffset(2030, 1, 10, 0, 0, 0, TimeSpan.Zero),
            },
            vm.Maintenance);
        Assert.Equal("any JSON object: the guest report", vm.Guest?.GetProperty("...").GetString());
        Assert.Equal(new FleetRunCommand(), vm.RunCommand);
        var scaleSet = Assert.Single(subscription.ScaleSets);
        var instance = Assert.Single(scaleSet.Instances);
        Assert.Equal(("0", FleetOsType.Linux), (instance.InstanceId, instance.OsType));
        Assert.Equal(JsonValueKind.Object, instance.Guest?.ValueKind);
        var service = Assert.Single(subscription.CloudServices);
        Assert.StartsWith("<ServiceConfiguration serviceName=\"legacy-api\"", service.Configuration, StringComparison.Ordinal);
        Assert.Equal([new FleetCloudServiceRole { Name = "Web", Instances = 2 }], service.Roles);
        Assert.Equal([new FleetOsVersion { Version = "WA-GUEST-OS-5.15_201801-01", Family = "5", IsDefault = false, IsActive = true }], fleet.CloudServiceOsVersions);
    }

    [Fact]
    public void Parse_MinimalEntries_AppliesDefaults()
    {
        var fleet = FleetDocument.Parse("""
            {"subscriptions":[{"subscriptionId":"abcdef12-1111-1111-1111-111111111111",
              "virtualMachines":[{"name":"a","resourceGroup":"rg","osType":"Linux"}],
              "scaleSets":[{"name":"ss","resourceGroup":"rg","osType":"Windows","instances":[{},{"osType":"Linux"}]}]}]}
            """);

        var subscription = Assert.Single(fleet.Subscriptions);
        var vm = Assert.Single(subscription.VirtualMachines);
        var instances = Assert.Single(subscription.ScaleSets).Instances;
        Assert.Equal("subscription-abcdef12", subscription.DisplayName);
        Assert.Equal(("westeurope", "Standard_D2s_v3", FleetPowerState.Running, FleetAgentStatus.Ready), (vm.Location, vm.VmSize, vm.PowerState, vm.AgentStatus));
        Assert.Null(vm.Guest);
        Assert.Null(vm.RunCommand);
        Assert.Null(vm.Maintenance);
        Assert.Empty(vm.Tags);
        Assert.Equal(["0", "1"], instances.Select(i => i.InstanceId));
        Assert.Equal([FleetOsType.Windows, FleetOsType.Linux], instances.Select(i => i.OsType));
        Assert.Null(fleet.CloudServiceOsVersions);
    }

    [Fact]
    public void Parse_BadPowerState_NamesPathAndAllowedValues()
    {
        var error = Assert.Throws<FleetFormatException>(() => FleetDocument.Parse(
            Fleet(TestFleets.Vm("a"), TestFleets.Vm("b"), TestFleets.Vm("c", extra: "\"powerState\":\"runing\"")),
            "fleet.json"));

        Assert.Equal(
            "fleet.json: $.subscriptions[0].virtualMachines[2].powerState: 'runing' is not a power state; expected one of running, stopped, deallocated, starting, stopping, deallocating.",
            error.Message);
        Assert.Equal("$.subscriptions[0].virtualMachines[2].powerState", error.JsonPath);
        Assert.Equal("fleet.json", error.SourceName);
    }

    [Fact]
    public void Parse_MissingOsType_NamesPath()
    {
        var error = Assert.Throws<FleetFormatException>(() => FleetDocument.Parse(Fleet("""{"name":"a","resourceGroup":"rg"}"""), "fleet.json"));

        Assert.Equal("fleet.json: $.subscriptions[0].virtualMachines[0].osType: is required; expected one of Windows, Linux.", error.Message);
    }

    [Fact]
    public void Parse_ScaleSetWithoutOsType_NamesPath()
    {
        var error = Assert.Throws<FleetFormatException>(() => FleetDocument.Parse(
            $$"""{"subscriptions":[{"subscriptionId":"{{TestFleets.SubscriptionId}}","scaleSets":[{"name":"ss","resourceGroup":"rg","instances":[]}]}]}"""));

        Assert.Equal("fleet: $.subscriptions[0].scaleSets[0].osType: is required; expected one of Windows, Linux.", error.Message);
    }

    [Fact]
    public void Parse_DuplicateNamesDifferingInCase_NamesSecondOne()
    {
        var error = Assert.Throws<FleetFormatException>(() => FleetDocument.Parse(Fleet(TestFleets.Vm("web-01"), TestFleets.Vm("WEB-01")), "fleet.json"));

        Assert.Equal(
            "fleet.json: $.subscriptions[0].virtualMachines[1].name: duplicate name: 'WEB-01' is already used by another of the subscription's virtualMachines in resource group 'rg' (names are case-insensitive).",
            error.Message);
    }

    [Fact]
    public void Parse_SameNameInOtherGroupOrOfOtherType_IsAllowed()
    {
        var fleet = FleetDocument.Parse($$"""
            {"subscriptions":[{"subscriptionId":"{{TestFleets.SubscriptionId}}",
              "virtualMachines":[{"name":"x","resourceGroup":"rg","osType":"Linux"},{"name":"x","resourceGroup":"rg2","osType":"Linux"}],
              "scaleSets":[{"name":"x","resourceGroup":"rg","osType":"Linux"}]}]}
            """);

        Assert.Equal(2, fleet.Subscriptions[0].VirtualMachines.Count);
        Assert.Single(fleet.Subscriptions[0].ScaleSets);
    }

    [Fact]
    public void Parse_DuplicateInstanceIds_NamesInstance()
    {
        var error = Assert.Throws<FleetFormatException>(() => FleetDocument.Parse($$"""
            {"subscriptions":[{"subscriptionId":"{{TestFleets.SubscriptionId}}",
              "scaleSets":[{"name":"ss","resourceGroup":"rg","osType":"Linux","instances":[{},{"instanceId":"0"}]}]}]}
            """));

        Assert.Equal("fleet: $.subscriptions[0].scaleSets[0].instances[1].instanceId: instance id '0' appears twice in scale set 'ss'.", error.Message);
    }

    [Fact]
    public void Parse_MalformedJson_GivesLineAndBytePosition()
    {
        const string json = "{\n  \"subscriptions\": [\n    { \"subscriptionId\": \"x\" \n  ]\n}";

        var error = Assert.Throws<FleetFormatException>(() => FleetDocument.Parse(json, "broken.json"));

        Assert.StartsWith("broken.json: invalid JSON at line 4, byte position 3: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.LineNumber);
        Assert.Equal(3, error.BytePositionInLine);
        Assert.IsType<JsonException>(error.InnerException, exactMatch: false);
    }

    [Theory]
    [InlineData("\"subscriptionId\":\"not-a-guid\"", "$.subscriptions[0].subscriptionId: 'not-a-guid' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).")]
    [InlineData("\"subscriptionId\":42", "$.subscriptions[0].subscriptionId: must be a string, not the number 42.")]
    [InlineData("\"virtualMachines\":{}", "$.subscriptions[0].subscriptionId: is required.")]
    public void Parse_BadSubscription_NamesPath(string content, string expected)
    {
        var error = Assert.Throws<FleetFormatException>(() => FleetDocument.Parse($$"""{"subscriptions":[{{{content}}}]}"""));

        Assert.Equal($"fleet: {expected}", error.Message);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\\\b")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    [InlineData("a%b")]
    [InlineData("a b")]
    [InlineData("a\\tb")]
    [InlineData("")]
    public void Parse_NameThatDoesNotFitAnArmPath_IsRejected(string name)
    {
        var error = Assert.Throws<FleetFormatException>(() => FleetDocument.Parse(Fleet($$"""{"name":"{{name}}","resourceGroup":"rg","osType":"Linux"}""")));

        Assert.StartsWith("fleet: $.subscriptions[0].virtualMachines[0].name: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"runCommand\":{\"failure\":\"boom\"}", "runCommand.failure: 'boom' is not a Run Command failure; expected one of conflict, timeout, internalError, agentNotReady.")]
    [InlineData("\"runCommand\":{\"latencyMs\":-1}", "runCommand.latencyMs: must be 0 or more, not -1.")]
    [InlineData("\"runCommand\":{\"latencyMs\":1.5}", "runCommand.latencyMs: must be an integer, not the number 1.5.")]
    [InlineData("\"runCommand\":{\"rawOutput\":[]}", "runCommand.rawOutput: must be a string, not an array.")]
    [InlineData("\"installPatches\":{\"failure\":\"boom\"}", "installPatches.failure: 'boom' is not an installPatches failure; expected one of conflict, failed, operationFailed.")]
    [InlineData("\"installPatches\":{\"latencyMs\":-1}", "installPatches.latencyMs: must be 0 or more, not -1.")]
    [InlineData("\"installPatches\":{\"installedPatchCount\":0}", "installPatches.installedPatchCount: must be 1 or more, not 0.")]
    [InlineData("\"installPatches\":{\"patchedGuest\":\"x\"}", "installPatches.patchedGuest: must be an object, not a string.")]
    [InlineData("\"agentStatus\":\"ready\"", "agentStatus: 'ready' is not an agent status; expected one of Ready, NotReady.")]
    [InlineData("\"tags\":{\"a\":1}", "tags.a: must be a string, not the number 1.")]
    [InlineData("\"maintenance\":{\"maintenanceWindowStartTime\":\"soon\"}", "maintenance.maintenanceWindowStartTime: 'soon' is not an ISO 8601 date and time.")]
    [InlineData("\"image\":{\"publisher\":\"p\",\"offer\":\"o\"}", "image.sku: is required.")]
    public void Parse_BadMachineField_NamesPath(string field, string expected)
    {
        var error = Assert.Throws<FleetFormatException>(() => FleetDocument.Parse(Fleet(TestFleets.Vm("a", extra: field))));

        Assert.Equal($"fleet: $.subscriptions[0].virtualMachines[0].{expected}", error.Message);
    }

    [Fact]
    public void Parse_InstallPatches_ReadsEveryFieldAndRoundTrips()
    {
        var fleet = FleetDocument.Parse(Fleet(TestFleets.Vm("a", extra: """
            "installPatches":{"latencyMs":1500,"failure":"failed","errorCode":"PatchFailed","errorMessage":"dpkg was interrupted","rebootRequired":false,"installedPatchCount":3,"patchedGuest":{"schema":1,"os":"Windows"}}
            """)));

        var patches = fleet.Subscriptions[0].VirtualMachines[0].InstallPatches;
        Assert.NotNull(patches);
        Assert.Equal(1500, patches.LatencyMs);
        Assert.Equal(FleetInstallPatchesFailure.Failed, patches.Failure);
        Assert.Equal("PatchFailed", patches.ErrorCode);
        Assert.Equal("dpkg was interrupted", patches.ErrorMessage);
        Assert.False(patches.RebootRequired);
        Assert.Equal(3, patches.InstalledPatchCount);
        Assert.Equal("""{"schema":1,"os":"Windows"}""", patches.PatchedGuest?.GetRawText());
        Assert.Equal(fleet.ToJson(), FleetDocument.Parse(fleet.ToJson()).ToJson());
        Assert.Contains("\"installPatches\"", fleet.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OsVersionWithoutFamily_NamesPath()
    {
        var error = Assert.Throws<FleetFormatException>(() => FleetDocument.Parse(
            """{"subscriptions":[],"cloudServiceOsVersions":[{"version":"v1"}]}"""));

        Assert.Equal("fleet: $.cloudServiceOsVersions[0].family: is required.", error.Message);
    }

    [Fact]
    public void Parse_UnknownProperties_AreIgnored()
    {
        var fleet = FleetDocument.Parse(Fleet(TestFleets.Vm("a", extra: "\"comment\":{\"any\":[1,2]}")).Replace("{\"subscriptions\"", "{\"version\":3,\"subscriptions\"", StringComparison.Ordinal));

        Assert.Equal("a", fleet.Subscriptions[0].VirtualMachines[0].Name);
    }

    [Fact]
    public void ToJson_ParsedStandardFleet_RoundTripsToTheSameJson()
    {
        var json = TestFleets.Standard().ToJson();

        var again = FleetDocument.Parse(json).ToJson();

        Assert.Equal(json, again);
        Assert.Contains("\"failure\": \"timeout\"", json, StringComparison.Ordinal);
        Assert.Contains("\"maintenanceWindowStartTime\": \"2030-01-09T00:00:00Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidFile_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Fleet(TestFleets.Vm("a", "Solaris")));
        try
        {
            var error = Assert.Throws<FleetFormatException>(() => FleetDocument.Load(path));

            Assert.Equal($"{path}: $.subscriptions[0].virtualMachines[0].osType: 'Solaris' is not an OS type; expected one of Windows, Linux.", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_ValidFile_ReadsIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, TestFleets.StandardJson);
        try
        {
            Assert.Equal(12, FleetDocument.Load(path).Subscriptions[0].VirtualMachines.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Fleet(params string[] virtualMachines) =>
        $$"""{"subscriptions":[{"subscriptionId":"{{TestFleets.SubscriptionId}}","virtualMachines":[{{string.Join(",", virtualMachines)}}]}]}""";
}
