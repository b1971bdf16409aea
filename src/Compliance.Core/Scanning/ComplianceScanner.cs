using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Scanning;

/// <summary>
/// Lists the inventory and judges resources: checks a running machine's guest (its instance view, then Run Command) and
/// applies the rules. One resource failing never stops a scan: its verdict says why it could not be checked. Scans run
/// it batch by batch (<see cref="BatchRunner"/>), resource events one resource at a time.
/// </summary>
public sealed class ComplianceScanner
{
    private const int MaxExcerptLength = 200;
    private const int SubscriptionsListedAtOnce = 4;
    private const int ListBuffer = 1000;

    private readonly IResourceInventory _inventory;
    private readonly IGuestCommandRunner _runner;
    private readonly ComplianceAssessor _assessor;
    private readonly IOptions<ScanOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ComplianceScanner> _logger;

    /// <summary>Creates a scanner over the given ports.</summary>
    public ComplianceScanner(
        IResourceInventory inventory,
        IGuestCommandRunner runner,
        ComplianceAssessor assessor,
        IOptions<ScanOptions> options,
        TimeProvider timeProvider,
        ILogger<ComplianceScanner> logger)
    {
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _assessor = assessor ?? throw new ArgumentNullException(nameof(assessor));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Checks and judges one resource; used by scans and by event-driven re-checks.</summary>
    public async Task<Assessment> JudgeAsync(InventoryResource resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource is not Machine machine)
        {
            return _assessor.Assess(resource, guest: null);
        }

        var viewed = await WithInstanceViewAsync(machine, cancellationToken).ConfigureAwait(false);
        var (checkedMachine, outcome) = await CheckMachineAsync(viewed, cancellationToken).ConfigureAwait(false);
        return _assessor.Assess(checkedMachine, outcome);
    }

    // Scheduled platform maintenance means the machine's host is not updated yet, which matters most for a machine
    // whose guest is fine, so every running VM gets its instance view read: no VM listing carries the maintenance
    // status (the subscription list's statusOnly form has only the power state, its $expand=instanceView form needs a
    // scale-set filter). Scale-set instances are listed with their views already. Read before Run Command, the view
    // also spares the command on a machine whose agent is not ready. A failed read only costs that information.
    private async Task<Machine> WithInstanceViewAsync(Machine machine, CancellationToken cancellationToken)
    {
        if (machine.InstanceView is not null || machine.PowerState != PowerState.Running)
        {
            return machine;
        }

        try
        {
            var view = await _inventory.GetInstanceViewAsync(machine, cancellationToken).ConfigureAwait(false);
            return machine with { InstanceView = view };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ScanLog.InstanceViewFailed(_logger, machine.Id.Value, ex);
            return machine;
        }
    }

    /// <summary>
    /// Streams the resources of <paramref name="subscriptions"/>; a subscription that fails is reported in
    /// <paramref name="errors"/>. Subscriptions are listed side by side (each has its own ARM limits), so a scope of
    /// many subscriptions waits for its longest listing, not for the sum of them.
    /// </summary>
    internal async IAsyncEnumerable<InventoryResource> ListAsync(
        IReadOnlyList<string> subscriptions,
        ConcurrentQueue<ScanError> errors,
        ScanCounters? counters,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Bounded: a slow consumer holds the listing back instead of buffering the inventory.
        var listed = Channel.CreateBounded<InventoryResource>(new BoundedChannelOptions(ListBuffer) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producers = Task.Run(
            async () =>
            {
                try
                {
                    await Parallel.ForEachAsync(
                        subscriptions,
                        new ParallelOptions { MaxDegreeOfParallelism = SubscriptionsListedAtOnce, CancellationToken = stop.Token },
                        async (subscriptionId, token) =>
                        {
                            await foreach (var resource in ListSubscriptionAsync(subscriptionId, errors, token).ConfigureAwait(false))
                            {
                                await listed.Writer.WriteAsync(resource, token).ConfigureAwait(false);
                            }
                        }).ConfigureAwait(false);
                    listed.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    listed.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var resource in listed.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                counters?.Discovered();
                yield return resource;
            }
        }
        finally
        {
            // A consumer that stops early stops the listing too.
            await stop.CancelAsync().ConfigureAwait(false);
            await producers.ConfigureAwait(false);
        }

        counters?.InventoryDone();
    }

    private async IAsyncEnumerable<InventoryResource> ListSubscriptionAsync(string subscriptionId, ConcurrentQueue<ScanError> errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var resources = _inventory.GetResourcesAsync(subscriptionId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            InventoryResource resource;
            try
            {
                if (!await resources.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }

                resource = resources.Current;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // What was listed before the failure is still judged; the rest of this subscription is reported.
                ScanLog.InventoryFailed(_logger, subscriptionId, ex);
                errors.Enqueue(new ScanError(subscriptionId, Describe(ex)));
                yield break;
            }

            yield return resource;
        }
    }

    private async Task<(Machine Machine, GuestCheckOutcome Outcome)> CheckMachineAsync(Machine machine, CancellationToken cancellationToken)
    {
        if (machine.PowerState != PowerState.Running)
        {
            var state = machine.PowerState.ToString().ToLowerInvariant();
            return (machine, Failed(GuestCheckFailureKind.NotRunning, $"power state {state}", ("powerState", state)));
        }

        if (machine.Os is not { } os)
        {
            return (machine, Failed(GuestCheckFailureKind.CheckFailed, "ARM reports no OS type for the machine", ("osType", null)));
        }

        try
        {
            // A view that says the agent is not ready spares the Run Command, which would fail anyway.
            if (machine.InstanceView?.Agent == AgentStatus.NotReady)
            {
                return (machine, Failed(GuestCheckFailureKind.AgentUnavailable, "the instance view reports the VM agent as not ready", ("agentStatus", "NotReady")));
            }

            var result = await _runner.RunAsync(machine, GuestScripts.For(os), cancellationToken).ConfigureAwait(false);
            if (result.Failure is { } failure)
            {
                return (machine, GuestCheckOutcome.Failed(failure));
            }

            var parsed = GuestReportParser.Parse(result.Stdout, os);
            if (parsed.Success)
            {
                return (machine, GuestCheckOutcome.Reported(parsed.Report));
            }

            return (machine, Failed(
                GuestCheckFailureKind.OutputUnreadable,
                parsed.Error,
                ("stdoutLength", result.Stdout?.Length ?? 0),
                ("stdoutTail", Excerpt(result.Stdout)),
                ("stderrTail", Excerpt(result.Stderr))));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ScanLog.GuestCheckFailed(_logger, machine.Id.Value, ex);
            return (machine, Failed(GuestCheckFailureKind.CheckFailed, Describe(ex), ("exception", ex.GetType().Name)));
        }
    }

    private static GuestCheckOutcome Failed(GuestCheckFailureKind kind, string reason, params (string Key, object? Value)[] evidence) =>
        GuestCheckOutcome.Failed(new GuestCheckFailure(kind, reason, Evidence.Of(evidence)));

    /// <summary>An exception in one line, bounded, without control characters: exception messages can carry response bodies.</summary>
    public static string Describe(Exception exception)
    {
        var firstLine = exception.Message.Split('\n', 2)[0].Trim();
        return $"{exception.GetType().Name}: {Excerpt(firstLine, fromEnd: false)}";
    }

    /// <summary>A bounded, printable excerpt of guest output (the tail, where the report would be).</summary>
    internal static string? Excerpt(string? text, bool fromEnd = true)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var slice = text.Length <= MaxExcerptLength
            ? text
            : fromEnd ? text[^MaxExcerptLength..] : text[..MaxExcerptLength];
        var builder = new StringBuilder(slice.Length);
        foreach (var ch in slice)
        {
            builder.Append(char.IsControl(ch) ? ' ' : ch);
        }

        return builder.ToString();
    }

}
