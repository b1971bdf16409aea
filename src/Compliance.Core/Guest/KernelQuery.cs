namespace Compliance.Core.Guest;

/// <summary>
/// The result of one <c>NtQuerySystemInformation</c> class: 201 (speculation control, two words) or 196 (KVA shadow,
/// one word). Flags are zero unless <see cref="Status"/> is <see cref="KernelQueryStatus.Ok"/>.
/// </summary>
public sealed record KernelQuery(KernelQueryStatus Status, uint Flags, uint Flags2, string? Error)
{
    /// <summary>Whether the call succeeded.</summary>
    public bool IsOk => Status == KernelQueryStatus.Ok;

    /// <summary>Whether every bit of <paramref name="mask"/> is set in the first word (only meaningful when ok).</summary>
    public bool Has(uint mask) => IsOk && (Flags & mask) == mask;

    /// <summary>Whether every bit of <paramref name="mask"/> is set in the second word (only meaningful when ok).</summary>
    public bool Has2(uint mask) => IsOk && (Flags2 & mask) == mask;
}
