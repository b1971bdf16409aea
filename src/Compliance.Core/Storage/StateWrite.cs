namespace Compliance.Core.Storage;

/// <summary>A conditional write of a resource state.</summary>
/// <param name="State">The new state.</param>
/// <param name="ExpectedETag">The ETag of the state it replaces; <c>null</c> when there must be none yet.</param>
public sealed record StateWrite(ResourceState State, string? ExpectedETag);
