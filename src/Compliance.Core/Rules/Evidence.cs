using Compliance.Core.Guest;
using Compliance.Core.Inventory;

namespace Compliance.Core.Rules;

/// <summary>Builds the evidence maps of findings: the raw facts, in the shape the guest or ARM reported them.</summary>
public static class Evidence
{
    /// <summary>A map of the given entries, in order.</summary>
    public static IReadOnlyDictionary<string, object?> Of(params (string Key, object? Value)[] entries)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            map[key] = value;
        }

        return map;
    }

    /// <summary>A kernel query as the guest reported it.</summary>
    public static IReadOnlyDictionary<string, object?> Query(KernelQuery query, bool includeSecondWord)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Status switch
        {
            KernelQueryStatus.Ok when includeSecondWord => Of(("status", "ok"), ("flags", query.Flags), ("flags2", query.Flags2)),
            KernelQueryStatus.Ok => Of(("status", "ok"), ("flags", query.Flags)),
            KernelQueryStatus.NotSupported => Of(("status", "notSupported")),
            _ => Of(("status", "error"), ("error", query.Error)),
        };
    }

    /// <summary>The registry values as the guest reported them.</summary>
    public static IReadOnlyDictionary<string, object?> Registry(WindowsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return Of(
            ("featureSettingsOverride", registry.FeatureSettingsOverride),
            ("featureSettingsOverrideMask", registry.FeatureSettingsOverrideMask),
            ("minVmVersionForCpuBasedMitigations", registry.MinVmVersionForCpuBasedMitigations),
            ("qualityCompat", registry.QualityCompat));
    }

    /// <summary>The product as the guest reported it, or <c>null</c>.</summary>
    public static IReadOnlyDictionary<string, object?>? Product(WindowsProduct? product) =>
        product is null
            ? null
            : Of(("caption", product.Caption), ("version", product.Version), ("ubr", product.Ubr), ("productType", product.ProductType));

    /// <summary>The CPU as the guest reported it, or <c>null</c>.</summary>
    public static IReadOnlyDictionary<string, object?>? Cpu(CpuInfo? cpu) =>
        cpu is null ? null : Of(("manufacturer", cpu.Manufacturer), ("description", cpu.Description));

    /// <summary>Why the resource counts as running untrusted code.</summary>
    public static IReadOnlyDictionary<string, object?> Untrusted(UntrustedCode untrusted)
    {
        ArgumentNullException.ThrowIfNull(untrusted);
        return Of(
            ("features", untrusted.Features.ToArray()),
            ("tag", untrusted.TagName is null ? null : Of(("name", untrusted.TagName), ("value", untrusted.TagValue))));
    }

    /// <summary>The maintenance window as the instance view reported it.</summary>
    public static IReadOnlyDictionary<string, object?> Maintenance(MaintenanceWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return Of(
            ("isCustomerInitiatedMaintenanceAllowed", window.IsCustomerInitiatedMaintenanceAllowed),
            ("preMaintenanceWindowStartTime", window.PreMaintenanceWindowStart),
            ("preMaintenanceWindowEndTime", window.PreMaintenanceWindowEnd),
            ("maintenanceWindowStartTime", window.MaintenanceWindowStart),
            ("maintenanceWindowEndTime", window.MaintenanceWindowEnd),
            ("lastOperationResultCode", window.LastOperationResultCode));
    }
}
