namespace Compliance.Core.Inventory;

/// <summary>An <see cref="IAppIdentity"/> that is given: the in-memory drivers', and a test's.</summary>
/// <param name="principalId">The object id; <see langword="null"/>: not known.</param>
public sealed class FixedAppIdentity(string? principalId) : IAppIdentity
{
    /// <inheritdoc />
    public ValueTask<string?> GetPrincipalIdAsync(CancellationToken cancellationToken) => ValueTask.FromResult(principalId);
}
