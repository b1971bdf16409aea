using System.Buffers.Text;
using System.Text.Json;
using Azure.Core;
using Compliance.Core.Inventory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.ResourceManager;

/// <summary>
/// Tells the app's object id from the access token it presents to ARM: the <c>oid</c> claim Microsoft Entra ID puts in
/// every token of a managed identity or service principal. No setting to keep in step with the identity, and no
/// Microsoft Graph permission. The token is the app's own, fetched over its own credential, so it is read, not
/// validated: ARM validates it. Until a token with an <c>oid</c> is had, the identity is not known (and asked again).
/// </summary>
public sealed class ArmAppIdentity : IAppIdentity
{
    private readonly TokenCredential _credential;
    private readonly IOptions<ArmOptions> _options;
    private readonly ILogger<ArmAppIdentity> _logger;
    private string? _principalId;

    /// <summary>Creates the reader.</summary>
    public ArmAppIdentity(TokenCredential credential, IOptions<ArmOptions> options, ILogger<ArmAppIdentity> logger)
    {
        _credential = credential ?? throw new ArgumentNullException(nameof(credential));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetPrincipalIdAsync(CancellationToken cancellationToken)
    {
        if (_principalId is { } known)
        {
            return known;
        }

        try
        {
            var scope = _options.Value.Audience.TrimEnd('/') + "/.default";
            var token = await _credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false);
            _principalId = ObjectIdOf(token.Token);
            if (_principalId is null)
            {
                ArmLog.AppIdentityUnknown(_logger, "the access token carries no oid claim");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ArmLog.AppIdentityUnknown(_logger, ex.GetType().Name);
        }

        return _principalId;
    }

    /// <summary>The <c>oid</c> claim of a JWT, when it is a GUID; <see langword="null"/> for anything else.</summary>
    internal static string? ObjectIdOf(string? token)
    {
        var parts = (token ?? string.Empty).Split('.');
        if (parts.Length != 3 || parts[1].Length is 0 or > 16 * 1024)
        {
            return null;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(parts[1]);
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("oid", out var oid)
                && oid.ValueKind == JsonValueKind.String
                && Guid.TryParseExact(oid.GetString(), "D", out var id)
                ? id.ToString("D")
                : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
