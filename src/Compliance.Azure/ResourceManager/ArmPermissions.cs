namespace Compliance.Azure.ResourceManager;

/// <summary>
/// Every Azure RBAC action the ARM adapters need, and nothing more: the custom role that <c>infra/</c> assigns to the
/// app at subscription scope holds exactly <see cref="Actions"/> (a test checks both that the adapters call nothing
/// outside it and that the Bicep role matches it). Remediation's actions (<see cref="RemediationActions"/>) are kept
/// apart: a second role holds them, deployed only when remediation is turned on.
/// </summary>
public static class ArmPermissions
{
    /// <summary>The actions, in the order the role definition lists them.</summary>
    public static IReadOnlyList<string> Actions { get; } =
    [
        // The subscriptions to scan when none are configured.
        "Microsoft.Resources/subscriptions/read",
        "Microsoft.Compute/virtualMachines/read",
        "Microsoft.Compute/virtualMachines/instanceView/read",
        "Microsoft.Compute/virtualMachines/runCommand/action",
        "Microsoft.Compute/virtualMachineScaleSets/read",
        "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read",
        "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/instanceView/read",
        "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action",
        "Microsoft.Compute/cloudServices/read",
        "Microsoft.Compute/cloudServices/roleInstances/read",
        "Microsoft.Compute/locations/cloudServiceOsVersions/read",
        // Run Command is a long-running operation: its status is polled at locations/{location}/operations/{id}.
        "Microsoft.Compute/locations/operations/read",
    ];

    /// <summary>
    /// What the remediation adapters call beyond <see cref="Actions"/>, and nothing more: Azure's patch installation
    /// and the restarts a plan may allow. Their operations are polled at <c>locations/{location}/operations/{id}</c>,
    /// which <see cref="Actions"/> already holds. The deployment grants these through a separate role, the
    /// "Compliance remediator", only when its <c>enableRemediation</c> parameter is true; otherwise the app's identity
    /// cannot change a machine at all.
    /// </summary>
    public static IReadOnlyList<string> RemediationActions { get; } =
    [
        "Microsoft.Compute/virtualMachines/installPatches/action",
        "Microsoft.Compute/virtualMachines/restart/action",
        "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/restart/action",
    ];

    /// <summary>
    /// The app setting that turns remediation on; the deployment sets it from the same parameter that grants
    /// <see cref="RemediationActions"/>, so the switch and the permission cannot drift apart.
    /// </summary>
    public const string RemediationSetting = "Compliance__Remediation__Enabled";
}
