using System.Globalization;
using System.Text;
using System.Text.Json;
using Compliance.Core.Inventory;

namespace Compliance.Core.Guest;

/// <summary>
/// Reads the guest report from a guest script's stdout. Guest output is hostile input: at most the last
/// <see cref="MaxOutputBytes"/> bytes are considered (Run Command itself keeps only the last 4,096 bytes of each
/// stream), the report must be the last JSON object printed, nesting is bounded, and every field is type-checked.
/// Anything else is an unreadable result, never an exception.
/// </summary>
public static class GuestReportParser
{
    /// <summary>How much of the output is considered, in UTF-8 bytes.</summary>
    public const int MaxOutputBytes = 4096;

    // The report nests three levels; a little room for unknown extension objects, no room for a nesting bomb.
    private const int MaxDepth = 8;

    private static readonly JsonDocumentOptions _documentOptions = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Parses <paramref name="output"/>; when <paramref name="expectedOs"/> is given the report must match it.</summary>
    public static GuestReportParseResult Parse(string? output, OsType? expectedOs = null)
    {
        try
        {
            var text = LastBytes(output ?? string.Empty).TrimEnd();
            if (text.Length == 0)
            {
                return GuestReportParseResult.Unreadable("the guest printed nothing");
            }

            if (text[^1] != '}')
            {
                return GuestReportParseResult.Unreadable("the output does not end with a JSON object");
            }

            using var document = FindLastObject(text);
            if (document is null)
            {
                return GuestReportParseResult.Unreadable("the output does not end with a complete JSON object");
            }

            var report = Read(document.RootElement);
            if (expectedOs is { } os && report.Os != os)
            {
                return GuestReportParseResult.Unreadable($"the guest reports os '{report.Os}' but ARM says the machine runs {os}");
            }

            return GuestReportParseResult.Parsed(report);
        }
        catch (InvalidReportException ex)
        {
            return GuestReportParseResult.Unreadable(ex.Message);
        }
    }

    private static string LastBytes(string output)
    {
        var bytes = Encoding.UTF8.GetBytes(output);
        if (bytes.Length <= MaxOutputBytes)
        {
            return output;
        }

        var start = bytes.Length - MaxOutputBytes;
        // Do not start inside a multi-byte character: skip UTF-8 continuation bytes.
        while (start < bytes.Length && (bytes[start] & 0xC0) == 0x80)
        {
            start++;
        }

        return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
    }

    // The report is the last thing printed, so it is the leftmost '{' whose JSON value runs exactly to the end.
    // Noise before it (banners, warnings) fails to parse or leaves trailing text, and so does any object nested
    // inside the report.
    private static JsonDocument? FindLastObject(string text)
    {
        for (var start = text.IndexOf('{'); start >= 0; start = text.IndexOf('{', start + 1))
        {
            try
            {
                return JsonDocument.Parse(text.AsMemory(start), _documentOptions);
            }
            catch (JsonException)
            {
                // Not the report's opening brace; try the next one.
            }
        }

        return null;
    }

    private static GuestReport Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidReportException("the report is not a JSON object");
        }

        if (!root.TryGetProperty("schema", out var schema)
            || schema.ValueKind != JsonValueKind.Number
            || !schema.TryGetInt32(out var schemaVersion)
            || schemaVersion != GuestReport.SupportedSchema)
        {
            throw new InvalidReportException(
                $"unknown report schema {(root.TryGetProperty("schema", out var s) ? Abbreviate(s.GetRawText()) : "(missing)")}; this version reads schema {GuestReport.SupportedSchema}");
        }

        return OptionalString(root, "os", "os") switch
        {
            "Windows" => ReadWindows(root),
            "Linux" => ReadLinux(root),
            var other => throw new InvalidReportException($"unknown os {(other is null ? "(missing)" : $"'{Abbreviate(other)}'")}"),
        };
    }

    private static WindowsGuestReport ReadWindows(JsonElement root)
    {
        var product = OptionalObject(root, "product", "product") is { } p
            ? new WindowsProduct(
                OptionalString(p, "caption", "product.caption"),
                OptionalString(p, "version", "product.version"),
                OptionalUInt32(p, "ubr", "product.ubr"),
                OptionalUInt32(p, "productType", "product.productType"))
            : null;

        var cpu = OptionalObject(root, "cpu", "cpu") is { } c
            ? new CpuInfo(OptionalString(c, "manufacturer", "cpu.manufacturer"), OptionalString(c, "description", "cpu.description"))
            {
                Architecture = OptionalUInt32(c, "architecture", "cpu.architecture"),
            }
            : null;

        var registry = OptionalObject(root, "registry", "registry") is { } r
            ? new WindowsRegistry(
                OptionalUInt32(r, "featureSettingsOverride", "registry.featureSettingsOverride"),
                OptionalUInt32(r, "featureSettingsOverrideMask", "registry.featureSettingsOverrideMask"),
                OptionalText(r, "minVmVersionForCpuBasedMitigations", "registry.minVmVersionForCpuBasedMitigations"),
                OptionalUInt32(r, "qualityCompat", "registry.qualityCompat"))
            : WindowsRegistry.Empty;

        return new WindowsGuestReport(
            product,
            cpu,
            ReadKernelQuery(root, "speculationControl", hasSecondWord: true),
            ReadKernelQuery(root, "kvaShadow", hasSecondWord: false),
            registry,
            OptionalStringArray(root, "features", "features"),
            OptionalTimestamp(root));
    }

    private static KernelQuery ReadKernelQuery(JsonElement root, string name, bool hasSecondWord)
    {
        var query = OptionalObject(root, name, name)
            ?? throw new InvalidReportException($"'{name}' is missing");

        var status = OptionalString(query, "status", $"{name}.status") switch
        {
            "ok" => KernelQueryStatus.Ok,
            "notSupported" => KernelQueryStatus.NotSupported,
            "error" => KernelQueryStatus.Error,
            var other => throw new InvalidReportException(
                $"'{name}.status' is {(other is null ? "missing" : $"'{Abbreviate(other)}'")}; expected ok, notSupported or error"),
        };

        var error = OptionalString(query, "error", $"{name}.error");
        if (status != KernelQueryStatus.Ok)
        {
            return new KernelQuery(status, 0, 0, error);
        }

        var flags = OptionalUInt32(query, "flags", $"{name}.flags")
            ?? throw new InvalidReportException($"'{name}.flags' is missing although the status is ok");
        // The second word of class 201 is only returned by kernels that fill more than four bytes; the guest
        // script reports 0 then, as Microsoft's SpeculationControl module does.
        var flags2 = hasSecondWord ? OptionalUInt32(query, "flags2", $"{name}.flags2") ?? 0 : 0;
        return new KernelQuery(status, flags, flags2, error);
    }

    private static LinuxGuestReport ReadLinux(JsonElement root)
    {
        var distro = OptionalObject(root, "distro", "distro") is { } d
            ? new LinuxDistro(
                OptionalString(d, "id", "distro.id"),
                OptionalString(d, "versionId", "distro.versionId"),
                OptionalString(d, "prettyName", "distro.prettyName"))
            : null;

        if (!root.TryGetProperty("vulnerabilities", out var vulnerabilities))
        {
            // Absent is not the same as null (no sysfs directory): it means the output is not a complete report.
            throw new InvalidReportException("'vulnerabilities' is missing");
        }

        Dictionary<string, string>? files = null;
        if (vulnerabilities.ValueKind == JsonValueKind.Object)
        {
            files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in vulnerabilities.EnumerateObject())
            {
                if (file.Value.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidReportException($"'vulnerabilities.{Abbreviate(file.Name)}' is not a string");
                }

                files[file.Name] = file.Value.GetString() ?? string.Empty;
            }
        }
        else if (vulnerabilities.ValueKind != JsonValueKind.Null)
        {
            throw new InvalidReportException("'vulnerabilities' is neither an object nor null");
        }

        // Fields added after the first version of the script: an older script's report simply lacks them (unknown).
        return new LinuxGuestReport(OptionalString(root, "kernel", "kernel"), distro, files, OptionalTimestamp(root))
        {
            KernelParameters = root.TryGetProperty("kernelParameters", out var parameters) && parameters.ValueKind != JsonValueKind.Null
                ? OptionalStringArray(root, "kernelParameters", "kernelParameters")
                : null,
            UnprivilegedBpfDisabled = OptionalUInt32(root, "unprivilegedBpfDisabled", "unprivilegedBpfDisabled"),
            SmtControl = OptionalString(root, "smtControl", "smtControl"),
        };
    }

    private static JsonElement? OptionalObject(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw new InvalidReportException($"'{path}' is not an object");
    }

    private static string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InvalidReportException($"'{path}' is not a string");
    }

    // A REG_SZ value; a writer that stored it as a number still means the same version text.
    private static string? OptionalText(JsonElement parent, string name, string path)
    {
        if (parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
        {
            return value.GetRawText();
        }

        return OptionalString(parent, name, path);
    }

    private static uint? OptionalUInt32(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // DWORDs: PowerShell may hand them over as signed 32-bit values, so both readings of the bits are accepted.
        if (value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var number)
            && number >= int.MinValue
            && number <= uint.MaxValue)
        {
            return unchecked((uint)number);
        }

        throw new InvalidReportException($"'{path}' is not a 32-bit integer");
    }

    private static IReadOnlyList<string> OptionalStringArray(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidReportException($"'{path}' is not an array");
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String
                ? item.GetString() ?? string.Empty
                : throw new InvalidReportException($"'{path}' holds a value that is not a string"));
        }

        return items;
    }

    private static DateTimeOffset? OptionalTimestamp(JsonElement root)
    {
        var text = OptionalString(root, "lastBootUtc", "lastBootUtc");
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
    }

    private static string Abbreviate(string text)
    {
        const int Limit = 40;
        var shown = text.Length <= Limit ? text : string.Concat(text.AsSpan(0, Limit), "…");
        var builder = new StringBuilder(shown.Length);
        foreach (var ch in shown)
        {
            // Reasons end up in reports and logs: no control characters from the guest.
            builder.Append(char.IsControl(ch) ? '?' : ch);
        }

        return builder.ToString();
    }

    private sealed class InvalidReportException(string message) : Exception(message);
}
