using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;

namespace Compliance.Azure.Tests.Storage;

/// <summary>The event inbox in memory, held to the same cases as the Table store (beside which they live for that reason).</summary>
public sealed class InMemoryEventInboxTests : EventInboxContract
{
    protected override IEventInbox Inbox { get; } = new InMemoryEventInbox();
}
