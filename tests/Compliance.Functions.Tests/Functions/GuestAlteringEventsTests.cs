using System.Text.Json.Nodes;
using Compliance.Core.Scanning;
using Compliance.Emulator;
using Compliance.Functions.Functions;

namespace Compliance.Functions.Tests.Functions;

/// <summary>
/// Every operation of the table (<see cref="ResourceChangeRules.Operations"/>), as a real sample event (the Event Grid
/// documentation's and the REST specification's, in the Event Grid schema and as CloudEvents) with only the resource,
/// operation, id and caller changed, delivered through the event queue: each leads to exactly the re-checks the table
/// says, and a burst of them to one Run Command per machine.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GuestAlteringEventsTests(AzuriteFixture azurite)
{
    private const string ScaleSetName = "web-vmss";
    private const string OperatorId = "7d3c9f4e-2a61-4b8e-8f0a-3c5e1d2b4a77";

    private static readonly string _vm = Fleets.VmId("web-1");
    private static readonly string _scaleSet = $"/subscriptions/{Fleets.Subscription}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/{ScaleSetName}";
    private static readonly string _cloudService = $"/subscriptions/{Fleets.Subscription}/resourceGroups/rg-legacy/providers/Microsoft.Compute/cloudServices/legacy-api";
    private static readonly string[] _instances = [$"{_scaleSet}/virtualMachines/0", $"{_scaleSet}/virtualMachines/1"];

    public static TheoryData<string, string> OperationsInBothSchemas()
    {
        var data = new TheoryData<string, string>();
        foreach (var operation in ResourceChangeRules.HandledOperations)
        {
            data.Add(operation, "eventgrid");
            data.Add(operation, "cloudevents");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OperationsInBothSchemas))]
    public async Task Operation_ThroughTheQueue_LeadsToExactlyTheRechecksOfTheTable(string operationName, string schema)
    {
        var operation = ResourceChangeRules.Operations.Single(o => o.Name == operationName);
        await using var harness = await StartAsync();

        await DeliverAsync(harness, schema, operation, "evt-1");
        await harness.RunRechecksAsync();

        var checkedMachines = harness.Emulator.RunCommands.Select(r => r.ResourceId.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList();
        var expected = operation.SubjectType switch
        {
            var t when t.StartsWith("virtualMachineScaleSets/virtualMachines", StringComparison.Ordinal) => [_instances[0]],
            var t when t.StartsWith("virtualMachineScaleSets", StringComparison.Ordinal) => _instances,
            var t when t.StartsWith("virtualMachines", StringComparison.Ordinal) => [_vm],
            _ => Array.Empty<string>(),
        };
        Assert.Equal(expected.Select(id => id.ToUpperInvariant()).Order(StringComparer.Ordinal), checkedMachines);
        if (operation.SubjectType.StartsWith("cloudServices", StringComparison.Ordinal))
        {
            // Judged from ARM alone: no Run Command, a fresh verdict.
            Assert.Equal("event-evt-1", (await harness.Verdicts.GetStateAsync(_cloudService, CancellationToken.None))!.State.ScanId);
        }
        else
        {
            Assert.Null(await harness.Verdicts.GetStateAsync(_cloudService, CancellationToken.None));
        }
    }

    [Theory]
    [InlineData("eventgrid")]
    [InlineData("cloudevents")]
    public async Task RunCommand_OurOwn_Ignored_SomeoneElses_Rechecks(string schema)
    {
        await using var harness = await StartAsync();
        var runCommand = ResourceChangeRules.Operations.Single(o => o.Name == "Microsoft.Compute/virtualMachines/runCommand/action");

        await DeliverAsync(harness, schema, runCommand, "own-1", caller: harness.Emulator.CallerPrincipalId);
        await harness.RunRechecksAsync();
        Assert.Empty(harness.Emulator.RunCommands);

        await DeliverAsync(harness, schema, runCommand, "operator-1", caller: OperatorId);
        Assert.Equal(1, await harness.RunRechecksAsync());
        Assert.Single(harness.Emulator.RunCommands);

        // The check that started raised its own event, naming us as ARM does: delivered, it starts nothing (no loop).
        await Eventually.HoldsAsync(async () => (await harness.Events.PeekAsync()).Count > 0, TimeSpan.FromSeconds(10), "the emulator's runCommand/action event");
        foreach (var message in await harness.Events.PeekAsync())
        {
            await harness.Function<ResourceChanged>().RunAsync(FunctionsHarness.Message(message), CancellationToken.None);
        }

        Assert.Equal(0, await harness.RunRechecksAsync());
        Assert.Single(harness.Emulator.RunCommands);
    }

    [Fact]
    public async Task BurstOfEveryOperation_OneRunCommandPerMachine()
    {
        await using var harness = await StartAsync();
        var i = 0;
        foreach (var operation in ResourceChangeRules.Operations)
        {
            foreach (var schema in new[] { "eventgrid", "cloudevents" })
            {
                await DeliverAsync(harness, schema, operation, $"burst-{i++}");
            }
        }

        await harness.RunRechecksAsync();

        var perMachine = harness.Emulator.RunCommands.GroupBy(r => r.ResourceId, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key.ToUpperInvariant(), g => g.Count());
        string[] machines = [_vm, .. _instances];
        Assert.Equal(machines.Select(id => id.ToUpperInvariant()).Order(StringComparer.Ordinal), perMachine.Keys.Order(StringComparer.Ordinal));
        Assert.All(perMachine.Values, count => Assert.Equal(1, count));
    }

    private async Task<FunctionsHarness> StartAsync()
    {
        var scaleSets = JsonNode.Parse($$"""
            [ { "name": "{{ScaleSetName}}", "resourceGroup": "rg-web", "osType": "Linux",
                "instances": [ { "instanceId": "0" }, { "instanceId": "1" } ] } ]
            """)!.AsArray();
        var cloudServices = JsonNode.Parse("""
            [ { "name": "legacy-api", "resourceGroup": "rg-legacy", "location": "westeurope",
                "configuration": "<ServiceConfiguration serviceName=\"legacy-api\" osFamily=\"5\" osVersion=\"*\" schemaVersion=\"2015-04.2.6\" xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration\"><Role name=\"Web\"><Instances count=\"2\" /></Role></ServiceConfiguration>",
                "roles": [ { "name": "Web", "instances": 2 } ] } ]
            """)!.AsArray();
        return await FunctionsHarness.StartAsync(azurite, Fleets.Fleet(Fleets.Subscription, [Fleets.Vm("web-1")], scaleSets, cloudServices), eventEncoding: EventMessageEncoding.Raw);
    }

    // The subject the operation acts on: the resource itself, or a child of it (an extension, a managed Run Command).
    private static string SubjectOf(ResourceOperation operation)
    {
        var type = operation.SubjectType;
        var owner = type.StartsWith("virtualMachineScaleSets/virtualMachines", StringComparison.Ordinal) ? _instances[0]
            : type.StartsWith("virtualMachineScaleSets", StringComparison.Ordinal) ? _scaleSet
            : type.StartsWith("virtualMachines", StringComparison.Ordinal) ? _vm
            : _cloudService;
        return type.EndsWith("/extensions", StringComparison.Ordinal) ? owner + "/extensions/MDE.Linux"
            : type.EndsWith("/runCommands", StringComparison.Ordinal) ? owner + "/runCommands/patch-now"
            : type.EndsWith("/roleInstances", StringComparison.Ordinal) ? owner + "/roleInstances/Web_IN_0"
            : owner;
    }

    private static async Task DeliverAsync(FunctionsHarness harness, string schema, ResourceOperation operation, string id, string caller = OperatorId)
    {
        var kind = operation.IsDelete ? "delete" : operation.Name.EndsWith("/write", StringComparison.Ordinal) ? "write" : "action";
        var sample = schema == "eventgrid" ? $"eventgrid-{kind}-success.docs.json" : $"cloudevents-{kind}-success.spec.json";
        var text = SampleEvent.Render(sample, new SampleEventEdit { ResourceId = SubjectOf(operation), OperationName = operation.Name, Id = id, CallerObjectId = caller });
        await harness.Function<ResourceChanged>().RunAsync(FunctionsHarness.Message(text), CancellationToken.None);
    }
}
