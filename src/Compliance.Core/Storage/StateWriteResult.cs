namespace Compliance.Core.Storage;

/// <summary>The outcome of one <see cref="StateWrite"/>.</summary>
/// <param name="ResourceId">The resource.</param>
/// <param name="Written">Whether it was written; <c>false</c> when the stored state changed since it was read, or when the store refused it.</param>
/// <param name="ETag">The new ETag, when written.</param>
public sealed record StateWriteResult(string ResourceId, bool Written, string? ETag)
{
    /// <summary>
    /// Why the store cannot hold this state at all (a key or a property beyond its limits); <see langword="null"/> for a
    /// write that was made or that lost a race. A refused write is not tried again.
    /// </summary>
    public string? Refusal { get; init; }
}
