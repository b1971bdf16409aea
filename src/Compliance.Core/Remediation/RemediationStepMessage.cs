using System.Text.Json;

namespace Compliance.Core.Remediation;

/// <summary>The message of the remediation queue: one step of an approved plan, to run or to verify.</summary>
/// <param name="PlanId">The plan.</param>
/// <param name="ResourceId">The machine.</param>
public sealed record RemediationStepMessage(string PlanId, string ResourceId)
{
    private const int MaxPlanIdLength = 64;
    private static readonly JsonSerializerOptions _options = new(JsonSerializerDefaults.Web) { MaxDepth = 4 };

    /// <summary>The message text.</summary>
    public string Serialize() => JsonSerializer.Serialize(this, _options);

    /// <summary>Reads a message.</summary>
    /// <exception cref="JsonException">The text is not a remediation step.</exception>
    public static RemediationStepMessage Deserialize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var message = JsonSerializer.Deserialize<RemediationStepMessage>(text, _options) ?? throw new JsonException("The message is empty.");
        if (string.IsNullOrWhiteSpace(message.PlanId) || message.PlanId.Length > MaxPlanIdLength
            || string.IsNullOrWhiteSpace(message.ResourceId) || !message.ResourceId.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase))
        {
            throw new JsonException("The message is not a remediation step: planId and resourceId (/subscriptions/...) are required.");
        }

        return message;
    }
}
