using Azure.Core;

namespace Compliance.Azure.ResourceManager;

/// <summary>
/// A credential with one fixed bearer token, for the loopback ARM emulator. Real Azure uses managed identity
/// (<c>DefaultAzureCredential</c>), never this.
/// </summary>
public sealed class StaticTokenCredential : TokenCredential
{
    private readonly string _token;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a credential that always returns <paramref name="token"/>.</summary>
    public StaticTokenCredential(string token, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _token = token;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(_token, _timeProvider.GetUtcNow().AddHours(1));

    /// <inheritdoc />
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
