namespace Compliance.Core.Storage;

/// <summary>The outcome of one <see cref="StateWrite"/>.</summary>
/// <param name="ResourceId">The resource.</param>
/// <param name="Written">Whether it was written; <c>false</c> when the stored state changed since it was read.</param>
/// <param name="ETag">The new ETag, when written.</param>
public sealed record StateWriteResult(string ResourceId, bool Written, string? ETag);
