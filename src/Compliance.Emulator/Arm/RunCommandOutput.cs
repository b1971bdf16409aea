using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Emulator.Arm;

/// <summary>
/// The RunCommandResult a machine produces, in the shapes the Windows and Linux Run Command
/// extensions really report.
/// </summary>
internal static class RunCommandOutput
{
    /// <summary>Azure keeps only the end of each output stream.</summary>
    public const int MaxStreamBytes = 4096;

    public static JsonObject Build(EmulatedMachine machine) => Build(machine, StandardOutput(machine));

    /// <summary>The RunCommandResult of a script that printed <paramref name="standardOutput"/>.</summary>
    public static JsonObject Build(EmulatedMachine machine, string standardOutput)
    {
        var stdout = Tail(standardOutput);
        var stderr = Tail(machine.RunCommand?.Stderr ?? "");
        var value = machine.OsType == FleetOsType.Windows
            ? new JsonArray(Status("ComponentStatus/StdOut/succeeded", stdout), Status("ComponentStatus/StdErr/succeeded", stderr))
            : new JsonArray(Status("ProvisioningState/succeeded", $"Enable succeeded: \n[stdout]\n{stdout}\n[stderr]\n{stderr}"));
        return new JsonObject { ["value"] = value };
    }

    /// <summary>What the guest script prints: the raw output if the fleet forces one, else the guest report as one JSON line.</summary>
    public static string StandardOutput(EmulatedMachine machine)
    {
        if (machine.RunCommand?.RawOutput is { } raw)
        {
            return raw;
        }

        if (machine.Guest is not { ValueKind: not JsonValueKind.Null } guest)
        {
            return "";
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            guest.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    /// <summary>The last <see cref="MaxStreamBytes"/> bytes of the UTF-8 text, without a character split at the cut.</summary>
    public static string Tail(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= MaxStreamBytes)
        {
            return text;
        }

        var start = bytes.Length - MaxStreamBytes;
        while (start < bytes.Length && (bytes[start] & 0xC0) == 0x80)
        {
            start++;
        }

        return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
    }

    private static JsonObject Status(string code, string message) => new()
    {
        ["code"] = code,
        ["level"] = "Info",
        ["displayStatus"] = "Provisioning succeeded",
        ["message"] = message,
    };
}
