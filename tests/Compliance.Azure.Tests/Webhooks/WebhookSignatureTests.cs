using System.Text;
using Compliance.Azure.Webhooks;

namespace Compliance.Azure.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Secret = "0123456789abcdef-secret";

    private static readonly byte[] _body = Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"a"}""");

    [Fact]
    public void Sign_Rfc4231TestCase2_ReturnsPrefixedLowerCaseHex()
    {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        var signature = WebhookSignature.Sign("Jefe", Encoding.ASCII.GetBytes("what do ya want for nothing?"));

        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", signature);
    }

    [Fact]
    public void Verify_OwnSignature_ReturnsTrue()
    {
        Assert.True(WebhookSignature.Verify(Secret, _body, WebhookSignature.Sign(Secret, _body)));
    }

    [Fact]
    public void Verify_UpperCaseSignature_ReturnsTrue()
    {
        var signature = WebhookSignature.Sign(Secret, _body).ToUpperInvariant();

        Assert.True(WebhookSignature.Verify(Secret, _body, signature));
    }

    [Fact]
    public void Verify_OtherSecret_ReturnsFalse()
    {
        Assert.False(WebhookSignature.Verify("another-secret-of-16", _body, WebhookSignature.Sign(Secret, _body)));
    }

    [Fact]
    public void Verify_ModifiedBody_ReturnsFalse()
    {
        var signature = WebhookSignature.Sign(Secret, _body);
        var modified = (byte[])_body.Clone();
        modified[^2] ^= 1;

        Assert.False(WebhookSignature.Verify(Secret, modified, signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567")]
    [InlineData("sha256=zz")]
    public void Verify_MissingOrMalformedHeader_ReturnsFalse(string? header)
    {
        Assert.False(WebhookSignature.Verify(Secret, _body, header));
    }

    [Fact]
    public void Verify_SignatureWithoutPrefix_ReturnsFalse()
    {
        var hex = WebhookSignature.Sign(Secret, _body)[WebhookSignature.Prefix.Length..];

        Assert.False(WebhookSignature.Verify(Secret, _body, hex));
    }

    [Fact]
    public void Verify_TruncatedSignature_ReturnsFalse()
    {
        var signature = WebhookSignature.Sign(Secret, _body);

        Assert.False(WebhookSignature.Verify(Secret, _body, signature[..^2]));
    }

    [Fact]
    public void Verify_NonHexCharacterOfTheRightLength_ReturnsFalse()
    {
        var signature = WebhookSignature.Sign(Secret, _body);

        Assert.False(WebhookSignature.Verify(Secret, _body, signature[..^1] + "g"));
    }
}
