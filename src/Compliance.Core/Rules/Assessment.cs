using Compliance.Core.Inventory;

namespace Compliance.Core.Rules;

/// <summary>The verdict on one resource at one point in time.</summary>
/// <param name="Resource">The resource as the inventory saw it.</param>
/// <param name="Status">The overall status.</param>
/// <param name="Actions">The remediation actions, in a stable order.</param>
/// <param name="Findings">The findings, most severe first.</param>
/// <param name="CheckedAt">When the resource was judged.</param>
public sealed record Assessment(
    InventoryResource Resource,
    ComplianceStatus Status,
    IReadOnlyList<RemediationAction> Actions,
    IReadOnlyList<Finding> Findings,
    DateTimeOffset CheckedAt)
{
    /// <summary>The resource id.</summary>
    public ResourceId ResourceId => Resource.Id;

    /// <summary>Whether the resource needs an action.</summary>
    public bool NeedsAction => Actions.Count > 0;
}
