using Compliance.Azure;
using Compliance.Azure.ResourceManager;
using Compliance.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Cli;

/// <summary>What the CLI's commands set to reach the loopback ARM emulator instead of Azure.</summary>
internal static class EmulatorArm
{
    /// <summary>
    /// The ARM settings for <paramref name="emulator"/>: its endpoint, and short waits, because the emulator answers in
    /// milliseconds and the waits sized for real Run Commands (at least ~20 s each) would only slow a scan; the retry
    /// counts stay as configured.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(ArmEmulator emulator) =>
    [
        new($"{ArmOptions.SectionName}:{nameof(ArmOptions.Endpoint)}", emulator.Endpoint.ToString()),
        new($"{ArmOptions.SectionName}:{nameof(ArmOptions.RetryDelay)}", "00:00:00.050"),
        new($"{ArmOptions.SectionName}:{nameof(ArmOptions.RunCommandConflictBackoff)}", "00:00:00.100"),
    ];

    /// <summary>Reaches <paramref name="emulator"/> with its fixed token, trusting exactly its certificate.</summary>
    public static IServiceCollection AddTo(IServiceCollection services, ArmEmulator emulator) =>
        services.AddComplianceArmTrusting(new StaticTokenCredential(emulator.AccessToken), emulator.Certificate);
}
