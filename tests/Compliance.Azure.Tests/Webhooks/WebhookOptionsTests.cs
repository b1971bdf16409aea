using System.ComponentModel.DataAnnotations;
using Compliance.Azure.Webhooks;

namespace Compliance.Azure.Tests.Webhooks;

public sealed class WebhookOptionsTests
{
    private const string Secret = "0123456789abcdef";

    private static List<ValidationResult> Validate(WebhookOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Validate_Defaults_NoErrorAndTenSecondTimeout()
    {
        var options = new WebhookOptions();

        Assert.Empty(Validate(options));
        Assert.Null(options.Url);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
    }

    [Theory]
    [InlineData("https://hooks.example.com/compliance")]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://[::1]:8080/hook")]
    public void Validate_HttpsOrLoopbackUrl_NoError(string url)
    {
        Assert.Empty(Validate(new WebhookOptions { Url = new Uri(url), Secret = Secret }));
    }

    [Theory]
    [InlineData("http://hooks.example.com/compliance")]
    [InlineData("ftp://hooks.example.com/compliance")]
    [InlineData("/relative/hook")]
    public void Validate_PlainHttpToAnotherHostOrRelativeUrl_ErrorOnUrl(string url)
    {
        var error = Assert.Single(Validate(new WebhookOptions { Url = new Uri(url, UriKind.RelativeOrAbsolute), Secret = Secret }));

        Assert.Equal([nameof(WebhookOptions.Url)], error.MemberNames);
        Assert.Equal("Compliance:Notifications:Webhook:Url must be an absolute https URL (http only for a loopback host).", error.ErrorMessage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcde")]
    public void Validate_UrlWithMissingOrShortSecret_ErrorOnSecretWithoutItsValue(string? secret)
    {
        var error = Assert.Single(Validate(new WebhookOptions { Url = new Uri("https://hooks.example.com/"), Secret = secret }));

        Assert.Equal([nameof(WebhookOptions.Secret)], error.MemberNames);
        Assert.Equal("Compliance:Notifications:Webhook:Secret is required with a Url and must have at least 16 characters.", error.ErrorMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    public void Validate_TimeoutOutOfRange_ErrorOnTimeout(int seconds)
    {
        var options = new WebhookOptions { Url = new Uri("https://hooks.example.com/"), Secret = Secret, Timeout = TimeSpan.FromSeconds(seconds) };

        var error = Assert.Single(Validate(options));

        Assert.Equal([nameof(WebhookOptions.Timeout)], error.MemberNames);
    }
}
