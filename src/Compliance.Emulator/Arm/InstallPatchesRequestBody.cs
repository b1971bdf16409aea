using System.Text.Json;
using System.Xml;

namespace Compliance.Emulator.Arm;

/// <summary>
/// The body of an <c>installPatches</c> POST (<c>VirtualMachineInstallPatchesParameters</c>):
/// <c>{"maximumDuration","rebootSetting","windowsParameters":{"classificationsToInclude":[...]},"linuxParameters":{...}}</c>.
/// </summary>
internal sealed record InstallPatchesRequestBody(
    string? RebootSetting,
    string? MaximumDurationText,
    TimeSpan? MaximumDuration,
    IReadOnlyList<string>? WindowsClassifications,
    IReadOnlyList<string>? LinuxClassifications)
{
    private static readonly string[] _rebootSettings = ["IfRequired", "Never", "Always"];

    /// <summary>Reads what it can of the body, for the journal, even from a body ARM would refuse.</summary>
    public static InstallPatchesRequestBody? TryRead(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var durationText = String(root, "maximumDuration");
            TimeSpan? duration = null;
            if (durationText is not null)
            {
                try
                {
                    duration = XmlConvert.ToTimeSpan(durationText);
                }
                catch (FormatException)
                {
                    duration = null;
                }
            }

            return new InstallPatchesRequestBody(
                String(root, "rebootSetting"),
                durationText,
                duration,
                Classifications(root, "windowsParameters"),
                Classifications(root, "linuxParameters"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>What ARM would refuse in the body for a machine of <paramref name="os"/>, or <see langword="null"/>.</summary>
    public string? Problem(FleetOsType os)
    {
        if (RebootSetting is null || !_rebootSettings.Contains(RebootSetting, StringComparer.OrdinalIgnoreCase))
        {
            return "'rebootSetting' is required and must be IfRequired, Never or Always";
        }

        // Azure takes at most four hours, as an ISO 8601 duration such as PT4H.
        if (MaximumDuration is not { } duration || duration <= TimeSpan.Zero || duration > TimeSpan.FromHours(4))
        {
            return "'maximumDuration' is required and must be an ISO 8601 duration of at most PT4H";
        }

        return os == FleetOsType.Windows
            ? WindowsClassifications is null ? "'windowsParameters' is required for a Windows virtual machine" : null
            : LinuxClassifications is null ? "'linuxParameters' is required for a Linux virtual machine" : null;
    }

    private static string? String(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string>? Classifications(JsonElement root, string parameters)
    {
        if (!root.TryGetProperty(parameters, out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return element.TryGetProperty("classificationsToInclude", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString() ?? "").ToList()
            : [];
    }
}
