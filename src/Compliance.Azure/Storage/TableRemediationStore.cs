using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Compliance.Core.Remediation;
using Compliance.Core.Storage;

namespace Compliance.Azure.Storage;

/// <summary>
/// Remediation plans on Azure Table Storage, in tables of their own: <c>RemediationPlans</c> holds one row per plan
/// (partition <c>plans</c>, row key the plan id), <c>RemediationSteps</c> one row per machine (partition the plan id,
/// row key the encoded resource id), so a plan of any size is read with one partition query. Each row carries its record
/// as JSON plus the fields worth filtering on; updates are conditional on the row's ETag.
/// </summary>
internal sealed class TableRemediationStore : IRemediationStore
{
    private const string PlansPartition = "plans";
    private const string Body = "Body";
    private const string State = "State";
    private const string Status = "Status";

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly TableStoreTables _tables;

    public TableRemediationStore(TableStoreTables tables) => _tables = tables ?? throw new ArgumentNullException(nameof(tables));

    /// <inheritdoc/>
    public async Task CreateAsync(RemediationPlan plan, IReadOnlyList<RemediationStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(steps);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        // Steps first, in transactions of up to 100 rows of the one partition: a plan is never seen without its steps.
        foreach (var chunk in steps.Chunk(100))
        {
            var actions = chunk.Select(s => new TableTransactionAction(TableTransactionActionType.UpsertReplace, StepEntity(s))).ToList();
            await _tables.RemediationSteps.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await _tables.RemediationPlans.AddEntityAsync(PlanEntity(plan), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            throw new InvalidOperationException($"Plan {plan.Id} exists.", ex);
        }
    }

    /// <inheritdoc/>
    public async Task<StoredRemediationPlan?> GetPlanAsync(string planId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(planId);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var found = await _tables.RemediationPlans.GetEntityIfExistsAsync<TableEntity>(PlansPartition, ResourceKey.Encode(planId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? new StoredRemediationPlan(ReadPlan(found.Value!), found.Value!.ETag.ToString()) : null;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RemediationPlan> ListPlansAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PlansPartition}");
        var plans = new List<RemediationPlan>();
        await foreach (var entity in _tables.RemediationPlans.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            plans.Add(ReadPlan(entity));
        }

        foreach (var plan in plans.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id, StringComparer.Ordinal))
        {
            yield return plan;
        }
    }

    /// <inheritdoc/>
    public async Task<StoredRemediationPlan?> UpdatePlanAsync(RemediationPlan plan, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await _tables.RemediationPlans.UpdateEntityAsync(PlanEntity(plan), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new StoredRemediationPlan(plan, response.Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredRemediationStep>> GetStepsAsync(string planId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(planId);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ResourceKey.Encode(planId)}");
        var steps = new List<StoredRemediationStep>();
        await foreach (var entity in _tables.RemediationSteps.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            steps.Add(new StoredRemediationStep(ReadStep(entity), entity.ETag.ToString()));
        }

        return steps.OrderBy(s => s.Step.ResourceId, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <inheritdoc/>
    public async Task<StoredRemediationStep?> GetStepAsync(string planId, string resourceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(planId);
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var found = await _tables.RemediationSteps.GetEntityIfExistsAsync<TableEntity>(ResourceKey.Encode(planId), StepKey(resourceId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? new StoredRemediationStep(ReadStep(found.Value!), found.Value!.ETag.ToString()) : null;
    }

    /// <inheritdoc/>
    public async Task<StoredRemediationStep?> UpdateStepAsync(RemediationStep step, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await _tables.RemediationSteps.UpdateEntityAsync(StepEntity(step), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new StoredRemediationStep(step, response.Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    // Resource ids compare case-insensitively: one row per machine whatever the case a caller used.
    private static string StepKey(string resourceId) => ResourceKey.Encode(resourceId.ToLowerInvariant());

    private static TableEntity PlanEntity(RemediationPlan plan)
    {
        var entity = new TableEntity(PlansPartition, ResourceKey.Encode(plan.Id)) { [State] = plan.State.ToString(), ["Action"] = plan.Action.ToString() };
        LargeProperty.Write(entity, Body, JsonSerializer.Serialize(plan, _json));
        return entity;
    }

    private static TableEntity StepEntity(RemediationStep step)
    {
        var entity = new TableEntity(ResourceKey.Encode(step.PlanId), StepKey(step.ResourceId)) { [Status] = step.Status.ToString() };
        LargeProperty.Write(entity, Body, JsonSerializer.Serialize(step, _json));
        return entity;
    }

    private static RemediationPlan ReadPlan(TableEntity entity) =>
        JsonSerializer.Deserialize<RemediationPlan>(LargeProperty.Read(entity, Body) ?? "null", _json)
        ?? throw new InvalidDataException($"The plan row {entity.RowKey} holds no plan.");

    private static RemediationStep ReadStep(TableEntity entity) =>
        JsonSerializer.Deserialize<RemediationStep>(LargeProperty.Read(entity, Body) ?? "null", _json)
        ?? throw new InvalidDataException($"The step row {entity.RowKey} holds no step.");
}
