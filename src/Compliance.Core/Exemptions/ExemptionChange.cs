using System.Text.Json.Serialization;

namespace Compliance.Core.Exemptions;

/// <summary>What happened to an exemption.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExemptionChange>))]
public enum ExemptionChange
{
    /// <summary>It was made.</summary>
    Created,

    /// <summary>It was replaced.</summary>
    Updated,

    /// <summary>It was removed.</summary>
    Removed,

    /// <summary>It expired.</summary>
    Expired,
}
