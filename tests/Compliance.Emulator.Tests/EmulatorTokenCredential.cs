using Azure.Core;

namespace Compliance.Emulator.Tests;

/// <summary>
/// Hands the SDK a fixed bearer token, as the product's credential does for the emulator.
/// </summary>
internal sealed class EmulatorTokenCredential(string token) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(token, DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
