using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Compliance.Azure.ResourceManager;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;

namespace Compliance.Azure.Tests.ResourceManager;

/// <summary>
/// A scan through the real ARM adapters of a fleet whose every free-text field is hostile sends each machine one of
/// the two constant guest scripts, whole and without parameters: nothing from ARM ever reaches a script.
/// </summary>
public sealed class HostileFleetScanTests
{
    // Every value carries "pwned", which neither script contains, so a fragment of any of them would show.
    private const string Marker = "pwned";

    private static readonly string[] _hostileText =
    [
        "$(touch /tmp/pwned)",
        "'; Remove-Item C:\\pwned -Recurse; '",
        "`reboot-pwned`",
        "\"; shutdown -h now; echo \"pwned",
        "pwned line one\nline two\r\n$(id)",
        "${IFS}&&calc-pwned.exe||",
        "{0}pwned{1}",
        "@(Invoke-Expression 'pwned')",
    ];

    // ARM names take no whitespace and none of / \ ? # %; everything else shell or PowerShell would act on is here.
    private static readonly string[] _hostileNames =
    [
        "vm-$(touch${IFS}pwned)",
        "vm-';Remove-Item${IFS}pwned;'",
        "vm-`pwned`",
        "vm-\";pwned;\"",
        "vm-{0}pwned@(iex)",
        "vm-&&pwned||$env:PATH",
    ];

    private const string HostileGroup = "rg-$(pwned)';exit;'";
    private const string HostileScaleSet = "vmss-`pwned`$(id)";

    [Fact]
    public async Task Scan_HostileNamesTagsAndFreeText_EveryRunCommandIsTheConstantScript()
    {
        await using var harness = await ArmHarness.StartAsync(HostileFleet());
        var result = await harness.ScanAsync();

        // The hostile values went all the way through the inventory: the scan saw every machine, named as hostile as
        // the fleet names it, with its hostile tags.
        Assert.Empty(result.Errors);
        var machines = result.Assessments.Select(a => a.Resource).OfType<Machine>().ToDictionary(m => m.Id);
        Assert.Equal(_hostileNames.Length + 2, machines.Count);
        Assert.All(_hostileNames, name => Assert.Contains(machines.Values, m => m.Name == name));
        Assert.All(machines.Values, m => Assert.All(_hostileText, text => Assert.Equal(text, m.FindTag(text))));
        Assert.Contains(result.Assessments, a => a.Resource is CloudService && a.Resource.Name.Contains(Marker, StringComparison.Ordinal));

        var runCommands = harness.Emulator.RunCommands;
        Assert.Equal(machines.Count, runCommands.Count);
        Assert.Equal(machines.Keys.Order(), runCommands.Select(r => new ResourceId(r.ResourceId)).Order());
        Assert.Contains(runCommands, r => r.ResourceId.Contains(HostileGroup, StringComparison.Ordinal));
        Assert.Contains(runCommands, r => r.ResourceId.Contains(HostileScaleSet, StringComparison.Ordinal));
        foreach (var runCommand in runCommands)
        {
            var script = GuestScripts.For(machines[new ResourceId(runCommand.ResourceId)].Os!.Value);
            Assert.Equal(script.CommandId, runCommand.CommandId);
            Assert.Equal(script.Lines, runCommand.Script);
            Assert.Equal(script.Text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n'), string.Join('\n', runCommand.Script));
            Assert.Empty(runCommand.Parameters);
            // The whole body, not only the fields the emulator reads, is the one constant body of that script.
            Assert.Equal(Convert.ToHexString(SHA256.HashData(RunCommandBody.For(script).ToArray())), runCommand.BodySha256);

            var text = string.Join('\n', runCommand.Script);
            Assert.DoesNotContain(Marker, text, StringComparison.OrdinalIgnoreCase);
            foreach (var hostile in _hostileText.Concat(_hostileNames).Append(HostileGroup).Append(HostileScaleSet))
            {
                Assert.DoesNotContain(hostile, text, StringComparison.Ordinal);
            }
        }
    }

    private static string HostileFleet()
    {
        JsonObject Tags() => new(_hostileText.Select(t => KeyValuePair.Create<string, JsonNode?>(t, t)));

        var linuxGuest = Fleets.Patched().DeepClone().AsObject();
        linuxGuest["distro"]!["prettyName"] = _hostileText[0];
        linuxGuest["kernel"] = "5.15.0-1064-azure $(touch /tmp/pwned)";
        var windowsGuest = Fleets.PatchedWindows().DeepClone().AsObject();
        windowsGuest["product"]!["caption"] = _hostileText[1];
        windowsGuest["cpu"]!["description"] = _hostileText[2];

        var machines = _hostileNames.Select((name, i) =>
        {
            var os = i % 2 == 0 ? "Linux" : "Windows";
            var vm = Fleets.Vm(name, os, guest: os == "Linux" ? linuxGuest.DeepClone() : windowsGuest.DeepClone(), tags: Tags(), resourceGroup: i < 2 ? HostileGroup : "rg-app");
            vm["vmSize"] = "Standard_$(pwned)";
            vm["image"] = new JsonObject { ["publisher"] = _hostileText[3], ["offer"] = _hostileText[4], ["sku"] = _hostileText[5], ["version"] = _hostileText[6] };
            return vm;
        }).ToArray();
        var scaleSets = new JsonArray(new JsonObject
        {
            ["name"] = HostileScaleSet,
            ["resourceGroup"] = HostileGroup,
            ["location"] = "westeurope",
            ["osType"] = "Linux",
            ["tags"] = Tags(),
            ["instances"] = new JsonArray(
                new JsonObject { ["instanceId"] = "0", ["tags"] = Tags(), ["guest"] = linuxGuest.DeepClone() },
                new JsonObject { ["instanceId"] = "1", ["tags"] = Tags(), ["guest"] = linuxGuest.DeepClone() }),
        });
        var cloudServices = new JsonArray(new JsonObject
        {
            ["name"] = "cs-$(pwned)",
            ["resourceGroup"] = HostileGroup,
            ["location"] = "westeurope",
            ["configuration"] = "<ServiceConfiguration serviceName=\"$(touch /tmp/pwned)\" osFamily=\"5\" osVersion=\"*\" xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration\"><Role name=\"';pwned;'\"><Instances count=\"2\" /></Role></ServiceConfiguration>",
            ["tags"] = Tags(),
        });

        var fleet = JsonNode.Parse(Fleets.Fleet(Fleets.Subscription, machines, scaleSets, cloudServices))!;
        fleet["subscriptions"]![0]!["displayName"] = _hostileText[4];
        return fleet.ToJsonString();
    }
}
