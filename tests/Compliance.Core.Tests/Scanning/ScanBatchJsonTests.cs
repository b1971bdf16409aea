using System.Text.Json;
using Compliance.Core.Inventory;
using Compliance.Core.Scanning;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Scanning;

/// <summary>The queue-message form of a batch: everything a worker needs survives, and what is not a batch is refused.</summary>
public sealed class ScanBatchJsonTests
{
    private const string VmId = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-test/providers/Microsoft.Compute/virtualMachines/vm-01";

    private static readonly MaintenanceWindow _window = new(
        true,
        new DateTimeOffset(2030, 1, 8, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2030, 1, 8, 12, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2030, 1, 9, 0, 0, 0, TimeSpan.FromHours(2)),
        new DateTimeOffset(2030, 1, 10, 0, 0, 0, TimeSpan.Zero),
        "RetryLater");

    private static string Message(string resources, string scanId = "\"scan-1\"", string index = "0", string count = "1") =>
        $$"""{"scanId":{{scanId}},"index":{{index}},"count":{{count}},"resources":{{resources}}}""";

    private static string Resource(string fields) => $"[{{{fields}}}]";

    [Fact]
    public void SerializeThenDeserialize_EveryFieldOfEveryKindSurvives()
    {
        var vm = Resources.Vm(
            "vm-01",
            OsType.Windows,
            PowerState.Running,
            Resources.Tags(("Compliance-Untrusted-Code", "true"), ("owner", "team \"a\" & <b>")),
            new MachineInstanceView(AgentStatus.NotReady, _window));
        var instance = Resources.Instance("web-ss", "17", OsType.Linux, new MachineInstanceView(AgentStatus.Ready, null));
        var catalogue = new[]
        {
            new GuestOsRelease("WA-GUEST-OS-6.62_202310-01", "6", true, true, "Windows Azure Guest OS 6.62"),
            new GuestOsRelease("WA-GUEST-OS-6.61_202309-01", "6", false, false, null),
        };
        var service = new CloudService(
            new ResourceId($"/subscriptions/{Resources.Subscription}/resourceGroups/rg-test/providers/Microsoft.Compute/cloudServices/cs-01"),
            "cs-01",
            "northeurope",
            Resources.Tags(("env", "prod")),
            Resources.Cscfg("6", "*"),
            5,
            catalogue);
        var batch = new ScanBatch("20261121T100000Z-0badf00d", 2, 7, [vm, instance, service]);

        var read = ScanBatchJson.Deserialize(ScanBatchJson.Serialize(batch));

        Assert.Equal("20261121T100000Z-0badf00d", read.ScanId);
        Assert.Equal(2, read.Index);
        Assert.Equal(7, read.Count);
        Assert.Equal(3, read.Resources.Count);

        var readVm = Assert.IsType<Machine>(read.Resources[0]);
        Assert.Equal(vm.Id.Value, readVm.Id.Value);
        Assert.Equal(ResourceKind.VirtualMachine, readVm.Kind);
        Assert.Equal("vm-01", readVm.Name);
        Assert.Equal("westeurope", readVm.Location);
        Assert.Equal(OsType.Windows, readVm.Os);
        Assert.Equal(PowerState.Running, readVm.PowerState);
        Assert.Equal(vm.Tags.OrderBy(t => t.Key, StringComparer.Ordinal), readVm.Tags.OrderBy(t => t.Key, StringComparer.Ordinal));
        Assert.Equal(new MachineInstanceView(AgentStatus.NotReady, _window), readVm.InstanceView);
        Assert.Equal(TimeSpan.FromHours(2), readVm.InstanceView!.Maintenance!.MaintenanceWindowStart!.Value.Offset);

        var readInstance = Assert.IsType<Machine>(read.Resources[1]);
        Assert.Equal(instance.Id.Value, readInstance.Id.Value);
        Assert.Equal(ResourceKind.ScaleSetInstance, readInstance.Kind);
        Assert.Equal("web-ss_17", readInstance.Name);
        Assert.Equal(OsType.Linux, readInstance.Os);
        Assert.Equal(PowerState.Running, readInstance.PowerState);
        Assert.Empty(readInstance.Tags);
        Assert.Equal(new MachineInstanceView(AgentStatus.Ready, null), readInstance.InstanceView);

        var readService = Assert.IsType<CloudService>(read.Resources[2]);
        Assert.Equal(service.Id.Value, readService.Id.Value);
        Assert.Equal(ResourceKind.CloudService, readService.Kind);
        Assert.Equal("cs-01", readService.Name);
        Assert.Equal("northeurope", readService.Location);
        Assert.Null(readService.Os);
        Assert.Equal("prod", Assert.Single(readService.Tags, t => t.Key == "env").Value);
        Assert.Equal(Resources.Cscfg("6", "*"), readService.Configuration);
        Assert.Equal(5, readService.RoleInstanceCount);
        Assert.Equal(catalogue, readService.Catalogue);
    }

    [Fact]
    public void SerializeThenDeserialize_AbsentOptionalFields_StayAbsent()
    {
        var vm = Resources.Vm("stopped", os: null, power: PowerState.Deallocated);
        var service = new CloudService(
            new ResourceId($"/subscriptions/{Resources.Subscription}/resourceGroups/rg-test/providers/Microsoft.Compute/cloudServices/cs-02"),
            "cs-02",
            "westeurope",
            new Dictionary<string, string>(),
            null,
            null,
            []);

        var json = ScanBatchJson.Serialize(new ScanBatch("scan-1", 0, 1, [vm, service]));
        var read = ScanBatchJson.Deserialize(json);

        var readVm = Assert.IsType<Machine>(read.Resources[0]);
        Assert.Null(readVm.Os);
        Assert.Equal(PowerState.Deallocated, readVm.PowerState);
        Assert.Null(readVm.InstanceView);
        var readService = Assert.IsType<CloudService>(read.Resources[1]);
        Assert.Null(readService.Configuration);
        Assert.Null(readService.RoleInstanceCount);
        Assert.Empty(readService.Catalogue);
    }

    [Fact]
    public void Serialize_EmptyBatch_ReadsBackEmpty()
    {
        var read = ScanBatchJson.Deserialize(ScanBatchJson.Serialize(new ScanBatch("scan-1", 0, 1, [])));

        Assert.Equal("scan-1", read.ScanId);
        Assert.Empty(read.Resources);
    }

    [Fact]
    public void Serialize_IsCamelCaseWithEnumNames()
    {
        var json = ScanBatchJson.Serialize(new ScanBatch("scan-1", 0, 1, [Resources.Vm()]));

        using var document = JsonDocument.Parse(json);
        var resource = document.RootElement.GetProperty("resources")[0];
        Assert.Equal("scan-1", document.RootElement.GetProperty("scanId").GetString());
        Assert.Equal("VirtualMachine", resource.GetProperty("kind").GetString());
        Assert.Equal("Running", resource.GetProperty("powerState").GetString());
        Assert.Equal("Windows", resource.GetProperty("os").GetString());
        Assert.False(resource.TryGetProperty("instanceView", out _));
    }

    [Fact]
    public void Serialize_Null_Throws() =>
        Assert.Throws<ArgumentNullException>(() => ScanBatchJson.Serialize(null!));

    [Fact]
    public void Deserialize_MissingTagsAndPowerState_DefaultToEmptyAndUnknown()
    {
        var read = ScanBatchJson.Deserialize(Message(Resource($"\"kind\":\"VirtualMachine\",\"id\":\"{VmId}\",\"name\":\"vm-01\",\"location\":\"westeurope\"")));

        var machine = Assert.IsType<Machine>(Assert.Single(read.Resources));
        Assert.Empty(machine.Tags);
        Assert.Equal(PowerState.Unknown, machine.PowerState);
    }

    [Theory]
    // Not JSON, or not an object.
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"scan-1\"")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":0,\"count\":1,\"resources\":[]")]
    // The batch's own fields.
    [InlineData("{\"index\":0,\"count\":1,\"resources\":[]}")]
    [InlineData("{\"scanId\":null,\"index\":0,\"count\":1,\"resources\":[]}")]
    [InlineData("{\"scanId\":\"  \",\"index\":0,\"count\":1,\"resources\":[]}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":1,\"count\":1,\"resources\":[]}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":5,\"count\":3,\"resources\":[]}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":0,\"count\":0,\"resources\":[]}")]
    [InlineData("{\"scanId\":\"scan-1\",\"resources\":[]}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":-1,\"count\":1,\"resources\":[]}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":0,\"count\":-2,\"resources\":[]}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":0,\"count\":1}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":0,\"count\":1,\"resources\":null}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":0,\"count\":1,\"resources\":{}}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":\"zero\",\"count\":1,\"resources\":[]}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":0.5,\"count\":1,\"resources\":[]}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":0,\"count\":99999999999,\"resources\":[]}")]
    // A resource that is not one.
    [InlineData("{\"scanId\":\"scan-1\",\"index\":0,\"count\":1,\"resources\":[null]}")]
    [InlineData("{\"scanId\":\"scan-1\",\"index\":0,\"count\":1,\"resources\":[42]}")]
    public void Deserialize_NotABatch_ThrowsJsonException(string json) =>
        Assert.Throws<JsonException>(() => ScanBatchJson.Deserialize(json));

    [Theory]
    [InlineData("\"kind\":\"VirtualMachine\",\"name\":\"vm-01\",\"location\":\"westeurope\"")]
    [InlineData("\"kind\":\"VirtualMachine\",\"id\":null,\"name\":\"vm-01\",\"location\":\"westeurope\"")]
    [InlineData("\"kind\":\"VirtualMachine\",\"id\":\"" + VmId + "\",\"location\":\"westeurope\"")]
    [InlineData("\"kind\":\"VirtualMachine\",\"id\":\"" + VmId + "\",\"name\":\"vm-01\"")]
    [InlineData("\"kind\":\"CloudService\",\"id\":\"" + VmId + "\",\"name\":\"vm-01\"")]
    [InlineData("\"kind\":\"VirtualMachine\",\"id\":\"vm-01\",\"name\":\"vm-01\",\"location\":\"westeurope\"")]
    [InlineData("\"kind\":\"VirtualMachine\",\"id\":\"\",\"name\":\"vm-01\",\"location\":\"westeurope\"")]
    [InlineData("\"kind\":\"VirtualMachine\",\"id\":\"/subscriptions/\",\"name\":\"vm-01\",\"location\":\"westeurope\"")]
    [InlineData("\"kind\":\"VirtualMachine\",\"id\":\"/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-01\",\"name\":\"vm-01\",\"location\":\"westeurope\"")]
    [InlineData("\"kind\":\"StorageAccount\",\"id\":\"" + VmId + "\",\"name\":\"vm-01\",\"location\":\"westeurope\"")]
    [InlineData("\"kind\":7,\"id\":\"" + VmId + "\",\"name\":\"vm-01\",\"location\":\"westeurope\"")]
    [InlineData("\"kind\":\"VirtualMachine\",\"id\":\"" + VmId + "\",\"name\":\"vm-01\",\"location\":\"westeurope\",\"powerState\":\"Exploded\"")]
    [InlineData("\"kind\":\"VirtualMachine\",\"id\":\"" + VmId + "\",\"name\":\"vm-01\",\"location\":\"westeurope\",\"tags\":[\"a\"]")]
    [InlineData("\"kind\":\"CloudService\",\"id\":\"" + VmId + "\",\"name\":\"cs-01\",\"location\":\"westeurope\",\"catalogue\":[null]")]
    [InlineData("\"id\":\"" + VmId + "\",\"name\":\"vm-01\",\"location\":\"westeurope\"")]
    [InlineData("\"kind\":null,\"id\":\"" + VmId + "\",\"name\":\"vm-01\",\"location\":\"westeurope\"")]
    public void Deserialize_InvalidResource_ThrowsJsonException(string fields) =>
        Assert.Throws<JsonException>(() => ScanBatchJson.Deserialize(Message(Resource(fields))));

    [Fact]
    public void Deserialize_OneBadResourceAmongGoodOnes_RefusesTheWholeBatch()
    {
        var good = JsonDocument.Parse(ScanBatchJson.Serialize(new ScanBatch("scan-1", 0, 1, [Resources.Vm()]))).RootElement.GetProperty("resources")[0].GetRawText();

        Assert.Throws<JsonException>(() => ScanBatchJson.Deserialize(Message($$"""[{{good}},{"kind":"VirtualMachine","name":"x","location":"y"}]""")));
    }

    [Fact]
    public void Deserialize_TooDeeplyNested_ThrowsJsonException()
    {
        var nested = new string('[', 40) + new string(']', 40);

        Assert.Throws<JsonException>(() => ScanBatchJson.Deserialize(Message(Resource($"\"kind\":\"VirtualMachine\",\"extra\":{nested}"))));
    }

    [Fact]
    public void Deserialize_NullText_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => ScanBatchJson.Deserialize(null!));
}
