using Compliance.Core.Queues;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Azure.Tests.Queues;

/// <summary>The in-memory batch queue against the contract, on a clock the test moves.</summary>
public sealed class InMemoryScanBatchQueueTests : ScanBatchQueueContract
{
    private readonly FakeTimeProvider _time = new();

    protected override Task<IScanBatchQueue> CreateAsync() =>
        Task.FromResult<IScanBatchQueue>(new InMemoryScanBatchQueue(Options.Create(new ScanQueueOptions { VisibilityTimeout = VisibilityTimeout }), _time));

    protected override Task<IReadOnlyList<string>> PoisonedAsync(IScanBatchQueue queue) => Task.FromResult(((InMemoryScanBatchQueue)queue).Poisoned);

    protected override Task PassAsync(TimeSpan time)
    {
        _time.Advance(time);
        return Task.CompletedTask;
    }
}
