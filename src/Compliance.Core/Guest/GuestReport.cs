using Compliance.Core.Inventory;

namespace Compliance.Core.Guest;

/// <summary>What the guest script reported (guest report schema 1).</summary>
/// <param name="Os">The OS the guest says it runs.</param>
/// <param name="LastBootUtc">When the guest last booted, when it said.</param>
public abstract record GuestReport(OsType Os, DateTimeOffset? LastBootUtc)
{
    /// <summary>The only guest report schema this version understands.</summary>
    public const int SupportedSchema = 1;
}
