using System.Text;
using System.Text.Json;
using Compliance.Core.Storage;

namespace Compliance.Reliability.Tests;

/// <summary>Everything a store holds that an input could change, as text: every state with its version, every scan, the summary.</summary>
internal static class StoreSnapshot
{
    public static async Task<string> TakeAsync(IVerdictStore verdicts, IScanLedger ledger)
    {
        var text = new StringBuilder();
        await foreach (var state in verdicts.QueryStatesAsync(StateQuery.All, CancellationToken.None))
        {
            text.Append(state.ETag).Append(' ').Append(JsonSerializer.Serialize(state.State)).Append('\n');
        }

        await foreach (var scan in ledger.GetScansAsync(CancellationToken.None))
        {
            text.Append(JsonSerializer.Serialize(scan)).Append('\n');
        }

        text.Append(JsonSerializer.Serialize(await ledger.GetSummaryAsync(CancellationToken.None)));
        return text.ToString();
    }
}
