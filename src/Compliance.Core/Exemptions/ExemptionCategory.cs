using System.Text.Json.Serialization;

namespace Compliance.Core.Exemptions;

/// <summary>Why a resource is exempt, as Azure Policy's exemptions say it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExemptionCategory>))]
public enum ExemptionCategory
{
    /// <summary>The risk is accepted.</summary>
    Waiver,

    /// <summary>The risk is handled another way.</summary>
    Mitigated,
}
