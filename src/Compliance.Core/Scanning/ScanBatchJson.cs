using System.Text.Json;
using System.Text.Json.Serialization;
using Compliance.Core.Inventory;

namespace Compliance.Core.Scanning;

/// <summary>
/// The queue-message form of a <see cref="ScanBatch"/>. Messages are read back by this app only, but a queue is an
/// input like any other: a message that is not a batch is refused with a <see cref="JsonException"/>.
/// </summary>
public static class ScanBatchJson
{
    private static readonly JsonSerializerOptions _options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 16,
    };

    /// <summary>
    /// The most UTF-8 bytes a message's text may have: a storage queue message holds 64 KiB, and the text travels
    /// Base64-encoded (four characters for every three bytes), as the Functions host's bindings expect.
    /// </summary>
    public const int MaxMessageBytes = 48 * 1024;

    /// <summary>The message text of a batch.</summary>
    public static string Serialize(ScanBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return JsonSerializer.Serialize(new BatchMessage(batch.ScanId, batch.Index, batch.Count, batch.Resources.Select(ToMessage).ToList()), _options);
    }

    /// <summary>The UTF-8 bytes one resource adds to a message's text (its comma included).</summary>
    public static int Size(InventoryResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return JsonSerializer.SerializeToUtf8Bytes(ToMessage(resource), _options).Length + 1;
    }

    /// <summary>The UTF-8 bytes of a message's text without its resources.</summary>
    public static int EnvelopeSize(string scanId, int batches) =>
        JsonSerializer.SerializeToUtf8Bytes(new BatchMessage(scanId, batches, batches, []), _options).Length;

    /// <summary>Reads a batch from message text.</summary>
    /// <exception cref="JsonException">The text is not a batch.</exception>
    public static ScanBatch Deserialize(string json)
    {
        var message = JsonSerializer.Deserialize<BatchMessage>(json, _options) ?? throw new JsonException("The message is empty.");
        if (string.IsNullOrWhiteSpace(message.ScanId) || message.Index < 0 || message.Count < 1 || message.Index >= message.Count || message.Resources is null)
        {
            throw new JsonException("The message is not a scan batch: scanId, index < count and resources are required.");
        }

        return new ScanBatch(message.ScanId, message.Index, message.Count, message.Resources.Select(FromMessage).ToList());
    }

    private static ResourceMessage ToMessage(InventoryResource resource) => resource switch
    {
        Machine m => new ResourceMessage(
            m.Kind, m.Id.Value, m.Name, m.Location, m.Os, m.PowerState, new Dictionary<string, string>(m.Tags),
            m.InstanceView is null ? null : new ViewMessage(m.InstanceView.Agent, m.InstanceView.Maintenance),
            null, null, null),
        CloudService c => new ResourceMessage(
            c.Kind, c.Id.Value, c.Name, c.Location, null, null, new Dictionary<string, string>(c.Tags), null,
            c.Configuration, c.RoleInstanceCount, c.Catalogue.ToList()),
        _ => throw new ArgumentException($"Unknown resource type {resource.GetType().Name}.", nameof(resource)),
    };

    private static InventoryResource FromMessage(ResourceMessage? message)
    {
        // The serializer fills lists with JSON nulls whatever the annotations say: refuse them here, not in a rule later.
        if (message?.Id is null || message.Name is null || message.Location is null)
        {
            throw new JsonException("A resource of the batch lacks its id, name or location.");
        }

        if (message.Catalogue is { } releases && releases.Any(r => r is null))
        {
            throw new JsonException("The Guest OS catalogue of a resource of the batch has an empty entry.");
        }

        ResourceId id;
        try
        {
            id = new ResourceId(message.Id);
        }
        catch (ArgumentException ex)
        {
            throw new JsonException(ex.Message, ex);
        }

        var tags = message.Tags ?? new Dictionary<string, string>();
        return message.Kind switch
        {
            ResourceKind.VirtualMachine or ResourceKind.ScaleSetInstance => new Machine(
                id, message.Kind.Value, message.Name, message.Location, message.Os, message.PowerState ?? PowerState.Unknown, tags,
                message.InstanceView is null ? null : new MachineInstanceView(message.InstanceView.Agent, message.InstanceView.Maintenance)),
            ResourceKind.CloudService => new CloudService(id, message.Name, message.Location, tags, message.Configuration, message.RoleInstanceCount, message.Catalogue ?? []),
            null => throw new JsonException("A resource of the batch lacks its kind."),
            _ => throw new JsonException($"Unknown resource kind {message.Kind}."),
        };
    }

    private sealed record BatchMessage(string ScanId, int Index, int Count, List<ResourceMessage>? Resources);

    private sealed record ResourceMessage(
        ResourceKind? Kind,
        string? Id,
        string? Name,
        string? Location,
        OsType? Os,
        PowerState? PowerState,
        Dictionary<string, string>? Tags,
        ViewMessage? InstanceView,
        string? Configuration,
        int? RoleInstanceCount,
        List<GuestOsRelease>? Catalogue);

    private sealed record ViewMessage(AgentStatus Agent, MaintenanceWindow? Maintenance);
}
