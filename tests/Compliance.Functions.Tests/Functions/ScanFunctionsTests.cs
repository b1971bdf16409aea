using System.Text;
using System.Text.Json;
using Compliance.Functions.Functions;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Tests.Functions;

/// <summary>
/// The timer and the batch queue's trigger, called as the host calls them: the timer plans a scan and returns its
/// batches (the queue output), each batch given to <see cref="CheckMachines"/> as the message the host delivers (as
/// stored or Base64) checks its machines, and the last one ends the scan.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScanFunctionsTests(AzuriteFixture azurite)
{
    private static readonly Dictionary<string, string?> _oneMachinePerBatch = new() { ["Compliance:Scan:BatchSize"] = "1" };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ScheduledScanThenCheckMachines_EveryBatch_VerdictsStoredAndScanCompleted(bool base64)
    {
        await using var harness = await FunctionsHarness.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("a", guest: Fleets.Unpatched()), Fleets.Vm("b"), Fleets.Vm("c")),
            _oneMachinePerBatch);

        var batches = await harness.Function<ScheduledScan>().RunAsync(new TimerInfo { IsPastDue = true }, CancellationToken.None);

        Assert.Equal(3, batches.Length);
        var scanId = JsonDocument.Parse(batches[0]).RootElement.GetProperty("scanId").GetString()!;
        Assert.Null((await harness.Ledger.GetScanAsync(scanId, CancellationToken.None))!.CompletedAt);
        Assert.Empty(harness.Emulator.RunCommands);

        foreach (var batch in batches)
        {
            var text = base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(batch)) : batch;
            await harness.Function<CheckMachines>().RunAsync(FunctionsHarness.Message(text), CancellationToken.None);
        }

        var scan = await harness.Ledger.GetScanAsync(scanId, CancellationToken.None);
        Assert.NotNull(scan!.CompletedAt);
        Assert.Equal(3, harness.Emulator.RunCommands.Count);
        Assert.Equal("ActionRequired", (await harness.Verdicts.GetStateAsync(Fleets.VmId("a"), CancellationToken.None))!.State.Verdict.Status);
        Assert.Equal("Compliant", (await harness.Verdicts.GetStateAsync(Fleets.VmId("b"), CancellationToken.None))!.State.Verdict.Status);
        Assert.Equal("Compliant", (await harness.Verdicts.GetStateAsync(Fleets.VmId("c"), CancellationToken.None))!.State.Verdict.Status);
    }

    [Theory]
    [InlineData("not JSON")]
    [InlineData("{\"scanId\": 1}")]
    [InlineData("bm90IGEgYmF0Y2g=")]
    public async Task CheckMachines_NotABatch_FailsTheInvocationAndChangesNothing(string text)
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("a")));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => harness.Function<CheckMachines>().RunAsync(FunctionsHarness.Message(text), CancellationToken.None));

        Assert.True(error is JsonException or FormatException, error.ToString());
        Assert.Empty(harness.Emulator.RunCommands);
        Assert.Null(await harness.Verdicts.GetStateAsync(Fleets.VmId("a"), CancellationToken.None));
    }
}
