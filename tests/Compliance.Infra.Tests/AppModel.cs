using System.Reflection;
using System.Runtime.Versioning;
using Compliance.Azure.ResourceManager;
using Compliance.Core.Scanning;
using Compliance.Server;

namespace Compliance.Infra.Tests;

/// <summary>
/// What the code says the deployment must provide: the settings the app binds at start-up (every public settable
/// property of every options class, found by its <c>SectionName</c>, and the remediation switch that the deployment
/// ties to the remediator role), the ARM actions of the scan's adapters and, apart, of the remediation adapters, the events
/// the app handles, and the .NET version the Functions app targets. A test can check a copy with one item taken away.
/// </summary>
internal sealed record AppModel(
    IReadOnlyList<string> BoundSettings,
    IReadOnlyList<string> ArmActions,
    IReadOnlyList<string> RemediationArmActions,
    IReadOnlyList<string> HandledEventTypes,
    IReadOnlyList<string> HandledOperations,
    string RuntimeVersion)
{
    /// <summary>The assemblies whose options classes the app binds.</summary>
    private static readonly Assembly[] _assemblies =
    [
        typeof(ScanOptions).Assembly,
        typeof(ArmOptions).Assembly,
        typeof(ComplianceServer).Assembly,
    ];

    public static AppModel Load() => new(
        BoundSettingNames().Append(ArmPermissions.RemediationSetting).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        ArmPermissions.Actions,
        ArmPermissions.RemediationActions,
        ResourceChangeRules.HandledEventTypes,
        ResourceChangeRules.HandledOperations,
        TargetDotNetVersion(typeof(Compliance.Functions.ComplianceWorker).Assembly));

    // "10.0" of ".NETCoreApp,Version=v10.0", the form a Flex Consumption runtime version takes.
    private static string TargetDotNetVersion(Assembly assembly)
    {
        var framework = assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} names no target framework.");
        return new FrameworkName(framework).Version.ToString(2);
    }

    /// <summary>Every options class: a public class named <c>…Options</c> with a <c>SectionName</c> constant.</summary>
    public static IEnumerable<Type> OptionsTypes() =>
        _assemblies.SelectMany(a => a.GetExportedTypes())
            .Where(t => t.IsClass && t.Name.EndsWith("Options", StringComparison.Ordinal) && SectionOf(t) is not null);

    private static IEnumerable<string> BoundSettingNames() =>
        OptionsTypes().SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .Select(p => $"{SectionOf(type)}:{p.Name}".Replace(":", "__", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);

    private static string? SectionOf(Type type) =>
        type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field ? field.GetRawConstantValue() as string : null;
}
