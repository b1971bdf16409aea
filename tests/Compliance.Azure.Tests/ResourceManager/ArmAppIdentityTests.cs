using System.Text;
using Azure.Core;
using Compliance.Azure.ResourceManager;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Tests.ResourceManager;

/// <summary>The app's object id, read from the oid claim of the token it presents to ARM; anything else is "not known".</summary>
public sealed class ArmAppIdentityTests
{
    private const string ObjectId = "0b1e6c1e-6f3a-4d52-9a55-5f7c2f0d8e11";

    private static string Jwt(string payload) =>
        $"{Part("""{"alg":"RS256","typ":"JWT"}""")}.{Part(payload)}.c2lnbmF0dXJl";

    private static string Part(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ArmAppIdentity Identity(TokenCredential credential) =>
        new(credential, Options.Create(new ArmOptions()), NullLogger<ArmAppIdentity>.Instance);

    [Fact]
    public async Task GetPrincipalIdAsync_ManagedIdentityToken_IsItsOid_AskedOnce()
    {
        var credential = new CountingCredential(Jwt($$"""{"aud":"https://management.azure.com/","oid":"{{ObjectId.ToUpperInvariant()}}","appid":"x","tid":"t"}"""));
        var identity = Identity(credential);

        Assert.Equal(ObjectId, await identity.GetPrincipalIdAsync(CancellationToken.None));
        Assert.Equal(ObjectId, await identity.GetPrincipalIdAsync(CancellationToken.None));
        Assert.Equal(1, credential.Calls);
        Assert.Equal(["https://management.azure.com/.default"], credential.Scopes);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.!!!.c")]
    [InlineData("")]
    public async Task GetPrincipalIdAsync_NotAJwt_NotKnownAndAskedAgain(string token)
    {
        var credential = new CountingCredential(token);
        var identity = Identity(credential);

        Assert.Null(await identity.GetPrincipalIdAsync(CancellationToken.None));
        Assert.Null(await identity.GetPrincipalIdAsync(CancellationToken.None));
        Assert.Equal(2, credential.Calls);
    }

    [Theory]
    [InlineData("""{"appid":"x"}""")]
    [InlineData("""{"oid":42}""")]
    [InlineData("""{"oid":"not-a-guid"}""")]
    [InlineData("""{"oid":"{0b1e6c1e-6f3a-4d52-9a55-5f7c2f0d8e11}"}""")]
    [InlineData("""["oid"]""")]
    [InlineData("""{"oid":""")]
    public void ObjectIdOf_PayloadWithoutAGuidOid_IsNull(string payload) =>
        Assert.Null(ArmAppIdentity.ObjectIdOf(Jwt(payload)));

    [Fact]
    public async Task GetPrincipalIdAsync_CredentialFails_NotKnownNoThrow()
    {
        var identity = Identity(new CountingCredential(null));

        Assert.Null(await identity.GetPrincipalIdAsync(CancellationToken.None));
    }

    private sealed class CountingCredential(string? token) : TokenCredential
    {
        public int Calls { get; private set; }

        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            Scopes.AddRange(requestContext.Scopes);
            return token is null
                ? throw new global::Azure.Identity.CredentialUnavailableException("no managed identity here")
                : ValueTask.FromResult(new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}
