namespace Compliance.Emulator;

/// <summary>
/// One role of a Cloud Service (extended support) (<c>cloudServices[].roles[]</c>).
/// </summary>
public sealed record FleetCloudServiceRole
{
    /// <summary>The role name, e.g. <c>Web</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The number of role instances (0 or more).</summary>
    public required int Instances { get; init; }

    /// <summary>The role's VM size; <c>Standard_D1_v2</c> unless the file says otherwise.</summary>
    public string VmSize { get; init; } = "Standard_D1_v2";
}
