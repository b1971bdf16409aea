using System.ComponentModel.DataAnnotations;

namespace Compliance.Functions.Hosting;

/// <summary>Settings of the HTTP API when the app runs on its own (section <c>Compliance:Api</c>).</summary>
public sealed class ApiOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Api";

    /// <summary>The least length of <see cref="Key"/>.</summary>
    public const int MinKeyLength = 16;

    /// <summary>The header that carries the API key.</summary>
    public const string KeyHeader = "X-Api-Key";

    /// <summary>
    /// The API key callers send in <see cref="KeyHeader"/>. Required when the app listens on anything but loopback;
    /// under the Functions host, function keys protect the API instead.
    /// </summary>
    /// <value>Default: none (an empty value is none too).</value>
    public string? Key { get; set; }

    /// <summary>The largest page <c>GET /api/compliance</c> returns.</summary>
    /// <value>Default: 1000.</value>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Key) && Key.Trim().Length < MinKeyLength)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Key)} must have at least {MinKeyLength} characters.", [nameof(Key)]);
        }
    }
}
