using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Compliance.Core.Inventory;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Storage;

namespace Compliance.Azure.Storage;

/// <summary>
/// Maps the store's records to table entities. The verdicts keep their report JSON (so what is read back is what the
/// report format says); the columns beside it exist for filters and for people browsing the tables.
/// </summary>
internal static class StoreEntities
{
    public const string ScansPartition = "scans";
    public const string SummaryPartition = "summary";
    public const string SummaryRow = "all";
    public const string EventsPartition = "events";
    public const string LeasesPartition = "leases";
    public const string LeaseExpiresAt = "ExpiresAt";

    public static string BatchesPartition(string scanId) => BatchesPartitionPrefix + ResourceKey.Encode(scanId);

    public const string BatchesPartitionPrefix = "batches_";

    public static TableEntity Batch(string scanId, int index, BatchResult result)
    {
        var outcome = result.Outcome;
        var entity = new TableEntity(BatchesPartition(scanId), index.ToString("D6", CultureInfo.InvariantCulture))
        {
            ["Recorded"] = outcome.Recorded,
            ["Stale"] = outcome.Stale,
            ["Lost"] = outcome.Lost,
            ["Changes"] = outcome.Changes,
            ["Notifications"] = outcome.Notifications,
            ["State"] = result.State.ToString(),
            ["DoneAt"] = result.DoneAt,
            ["Error"] = result.Error is null ? null : ScanErrors.Cut(new ReportError(string.Empty, result.Error)).Message,
            ["UnstoredCount"] = outcome.Unstored.Count,
        };
        LargeProperty.Write(entity, "Unstored", outcome.Unstored.Count == 0 ? null : JsonSerializer.Serialize(outcome.Unstored.Select(ScanErrors.Cut), _json));
        LargeProperty.Write(entity, "Judged", result.Judged.Count == 0 ? null : string.Join(',', result.Judged.Select(i => i.ToString(CultureInfo.InvariantCulture))));
        return entity;
    }

    public static (int Index, BatchResult Result) ToBatch(TableEntity entity)
    {
        var outcome = new RecordOutcome(entity.GetInt32("Recorded") ?? 0, entity.GetInt32("Stale") ?? 0, entity.GetInt32("Lost") ?? 0, entity.GetInt32("Changes") ?? 0, entity.GetInt32("Notifications") ?? 0)
        {
            Unstored = LargeProperty.Read(entity, "Unstored") is { } unstored ? Deserialize<List<ReportError>>(unstored, entity, "Unstored") : [],
        };
        var judged = LargeProperty.Read(entity, "Judged") is { Length: > 0 } positions
            ? positions.Split(',').Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture)).ToList()
            : [];
        var state = Enum.TryParse<BatchState>(entity.GetString("State"), out var read) ? read : BatchState.Done;
        return (
            int.Parse(entity.RowKey, CultureInfo.InvariantCulture),
            new BatchResult(outcome, entity.GetDateTimeOffset("DoneAt") ?? entity.Timestamp ?? DateTimeOffset.MinValue)
            {
                State = state,
                Judged = judged,
                Error = entity.GetString("Error"),
            });
    }

    private static readonly JsonSerializerOptions _json = new(ComplianceReportJson.Options) { WriteIndented = false };

    public static TableEntity State(ResourceState state)
    {
        var id = new ResourceId(state.ResourceId);
        var verdict = state.Verdict;
        var entity = new TableEntity(ResourceKey.PartitionKey(id), ResourceKey.RowKey(id))
        {
            ["ResourceId"] = verdict.Id,
            ["SubscriptionId"] = verdict.SubscriptionId,
            ["ResourceGroup"] = verdict.ResourceGroup,
            ["Kind"] = verdict.Kind,
            ["Name"] = verdict.Name,
            ["Os"] = verdict.Os,
            ["Location"] = verdict.Location,
            ["Status"] = verdict.Status,
            ["Actions"] = string.Join(',', verdict.Actions),
            ["NeedsGuestUpdate"] = verdict.Actions.Contains(nameof(RemediationAction.GuestUpdate)),
            ["NeedsKvaShadowing"] = verdict.Actions.Contains(nameof(RemediationAction.KvaShadowing)),
            ["NeedsMitigationSettings"] = verdict.Actions.Contains(nameof(RemediationAction.MitigationSettings)),
            ["FindingCodes"] = string.Join(',', verdict.Findings.Select(f => f.Code)),
            ["CheckedAt"] = verdict.CheckedAt,
            ["ScanId"] = state.ScanId,
            ["LastKnownStatus"] = state.LastKnown?.Status,
            ["HasOutbox"] = state.Outbox.Count > 0,
            ["OpenActions"] = JsonSerializer.Serialize(state.OpenActions, _json),
            ["PendingHistory"] = JsonSerializer.Serialize(state.PendingHistory, _json),
        };
        LargeProperty.Write(entity, "Verdict", JsonSerializer.Serialize(verdict, _json));
        LargeProperty.Write(entity, "LastKnown", state.LastKnown is null ? null : JsonSerializer.Serialize(state.LastKnown, _json));
        LargeProperty.Write(entity, "Outbox", JsonSerializer.Serialize(state.Outbox, _json));
        return entity;
    }

    public static StoredState ToState(TableEntity entity)
    {
        var verdict = Deserialize<ReportResource>(LargeProperty.Read(entity, "Verdict"), entity, "Verdict");
        var lastKnown = LargeProperty.Read(entity, "LastKnown") is { } lastKnownJson ? Deserialize<ReportResource>(lastKnownJson, entity, "LastKnown") : null;
        var state = new ResourceState(
            verdict,
            entity.GetString("ScanId") ?? string.Empty,
            lastKnown,
            Deserialize<List<OpenAction>>(entity.GetString("OpenActions") ?? "[]", entity, "OpenActions"),
            PendingHistoryOf(entity),
            Deserialize<List<PendingNotification>>(LargeProperty.Read(entity, "Outbox") ?? "[]", entity, "Outbox"));
        return new StoredState(state, entity.ETag.ToString());
    }

    // Also read on its own (a history read, a deletion): the one property of a state row that the history needs.
    public static List<HistoryEntry> PendingHistoryOf(TableEntity entity) =>
        Deserialize<List<HistoryEntry>>(entity.GetString("PendingHistory") ?? "[]", entity, "PendingHistory");

    public static string HistoryPartition(string resourceId) => ResourceKey.HistoryPartitionKey(new ResourceId(resourceId));

    // Newest first: row keys sort ascending, so the key counts down from the end of time.
    public static string InvertedTicks(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    public static string InvertedTicksOf(HistoryEntry entry) => InvertedTicks(entry.At);

    public static TableEntity History(HistoryEntry entry) => new(HistoryPartition(entry.ResourceId), InvertedTicks(entry.At))
    {
        ["ResourceId"] = entry.ResourceId,
        ["At"] = entry.At,
        ["ScanId"] = entry.ScanId,
        ["FromStatus"] = entry.FromStatus,
        ["ToStatus"] = entry.ToStatus,
        ["FromActions"] = string.Join(',', entry.FromActions),
        ["ToActions"] = string.Join(',', entry.ToActions),
        ["FindingCodes"] = string.Join(',', entry.FindingCodes),
    };

    public static HistoryEntry ToHistory(TableEntity entity) => new(
        entity.GetString("ResourceId") ?? string.Empty,
        entity.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        entity.GetString("ScanId") ?? string.Empty,
        entity.GetString("FromStatus"),
        entity.GetString("ToStatus") ?? string.Empty,
        Split(entity.GetString("FromActions")),
        Split(entity.GetString("ToActions")),
        Split(entity.GetString("FindingCodes")));

    public static TableEntity Scan(ScanRecord scan)
    {
        var entity = new TableEntity(ScansPartition, InvertedTicks(scan.StartedAt) + "_" + scan.ScanId)
        {
            ["ScanId"] = scan.ScanId,
            ["StartedAt"] = scan.StartedAt,
            ["CompletedAt"] = scan.CompletedAt,
            ["DurationMs"] = scan.Duration is { } duration ? (long)duration.TotalMilliseconds : null,
            ["Total"] = scan.Summary.Total,
            ["Compliant"] = scan.Summary.Compliant,
            ["ActionRequired"] = scan.Summary.ActionRequired,
            ["Unknown"] = scan.Summary.Unknown,
            ["Exempt"] = scan.Summary.Exempt,
            ["Recorded"] = scan.Recorded,
            ["Stale"] = scan.Stale,
            ["ErrorCount"] = scan.ErrorCount,
            ["Batches"] = scan.Batches,
            ["PlannedAt"] = scan.PlannedAt,
            ["AbandonedBatches"] = scan.AbandonedBatches,
            ["Requested"] = scan.Requested,
            ["Summary"] = JsonSerializer.Serialize(scan.Summary, _json),
        };
        LargeProperty.Write(entity, "Errors", JsonSerializer.Serialize(ScanErrors.Bound(scan.Errors), _json));
        LargeProperty.Write(entity, "Digest", scan.Digest is null ? null : JsonSerializer.Serialize(scan.Digest, _json));
        return entity;
    }

    public static ScanRecord ToScan(TableEntity entity)
    {
        var errors = Deserialize<List<ReportError>>(LargeProperty.Read(entity, "Errors") ?? "[]", entity, "Errors");
        return new ScanRecord(
            entity.GetString("ScanId") ?? string.Empty,
            entity.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
            entity.GetDateTimeOffset("CompletedAt"),
            Deserialize<ReportSummary>(entity.GetString("Summary") ?? "{}", entity, "Summary"),
            entity.GetInt32("Recorded") ?? 0,
            entity.GetInt32("Stale") ?? 0,
            errors,
            LargeProperty.Read(entity, "Digest") is { } digest ? Deserialize<PendingNotification>(digest, entity, "Digest") : null)
        {
            Batches = entity.GetInt32("Batches") ?? 0,
            PlannedAt = entity.GetDateTimeOffset("PlannedAt"),
            AbandonedBatches = entity.GetInt32("AbandonedBatches") ?? 0,
            Requested = entity.GetBoolean("Requested") ?? false,
            ErrorCount = Math.Max(entity.GetInt32("ErrorCount") ?? 0, errors.Count),
        };
    }

    public static TableEntity Summary(ReportSummary summary, string scanId, DateTimeOffset updatedAt) => new(SummaryPartition, SummaryRow)
    {
        ["Summary"] = JsonSerializer.Serialize(summary, _json),
        ["ScanId"] = scanId,
        ["UpdatedAt"] = updatedAt,
        ["Total"] = summary.Total,
        ["Compliant"] = summary.Compliant,
        ["ActionRequired"] = summary.ActionRequired,
        ["Unknown"] = summary.Unknown,
        ["Exempt"] = summary.Exempt,
    };

    public static (ReportSummary Summary, string ScanId, DateTimeOffset UpdatedAt) ToSummary(TableEntity entity) => (
        Deserialize<ReportSummary>(entity.GetString("Summary") ?? "{}", entity, "Summary"),
        entity.GetString("ScanId") ?? string.Empty,
        entity.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue);

    private static IReadOnlyList<string> Split(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(',');

    private static T Deserialize<T>(string? json, TableEntity entity, string property)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json ?? "null", _json)
                ?? throw new InvalidDataException($"Property '{property}' of entity '{entity.PartitionKey}/{entity.RowKey}' is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Property '{property}' of entity '{entity.PartitionKey}/{entity.RowKey}' is not valid JSON.", ex);
        }
    }
}
