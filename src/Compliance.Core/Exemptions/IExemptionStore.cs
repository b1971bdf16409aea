using Compliance.Core.Storage;

namespace Compliance.Core.Exemptions;

/// <summary>
/// The port to the exemptions and their history. Writes are conditional on the version read, so two operators, or two
/// sweeps, never overwrite each other unseen.
/// </summary>
public interface IExemptionStore
{
    /// <summary>Every exemption, expired ones too, in id order.</summary>
    IAsyncEnumerable<StoredExemption> ListAsync(CancellationToken cancellationToken);

    /// <summary>One exemption, or <see langword="null"/>.</summary>
    Task<StoredExemption?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="exemption"/> with its undelivered <paramref name="notice"/> (none: <see langword="null"/>),
    /// only if the stored one still has <paramref name="expectedETag"/> (for <see langword="null"/>: only if there is
    /// none). Returns the new ETag, or <see langword="null"/> when the condition failed.
    /// </summary>
    Task<string?> TryPutAsync(Exemption exemption, PendingNotification? notice, string? expectedETag, CancellationToken cancellationToken);

    /// <summary>
    /// Removes an exemption, only if it still has <paramref name="expectedETag"/> (<see langword="null"/>: whatever its
    /// version). <see langword="false"/> when there was none or the condition failed.
    /// </summary>
    Task<bool> TryDeleteAsync(string id, string? expectedETag, CancellationToken cancellationToken);

    /// <summary>Writes a history entry. Idempotent: an entry written twice is stored once.</summary>
    Task AppendHistoryAsync(ExemptionHistoryEntry entry, CancellationToken cancellationToken);

    /// <summary>An exemption's history, newest first (it outlives the exemption's removal).</summary>
    IAsyncEnumerable<ExemptionHistoryEntry> GetHistoryAsync(string id, CancellationToken cancellationToken);
}
