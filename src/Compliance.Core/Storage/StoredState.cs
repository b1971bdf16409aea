namespace Compliance.Core.Storage;

/// <summary>A resource state as read from the store, with the ETag a conditional write must match.</summary>
public sealed record StoredState(ResourceState State, string ETag);
