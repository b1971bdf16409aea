using System.ComponentModel.DataAnnotations;
using Compliance.Azure.EventGrid;

namespace Compliance.Azure.Tests.EventGrid;

public sealed class EventGridOptionsTests
{
    private static List<ValidationResult> Validate(EventGridOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Validate_Defaults_DisabledWithoutError()
    {
        var options = new EventGridOptions();

        Assert.Empty(Validate(options));
        Assert.Null(options.TopicEndpoint);
        Assert.Null(options.TopicKey);
    }

    [Theory]
    [InlineData("https://compliance.westeurope-1.eventgrid.azure.net/api/events", null)]
    [InlineData("https://compliance.westeurope-1.eventgrid.azure.net/api/events", "a-topic-key")]
    [InlineData("http://127.0.0.1:7071/api/events", "a-topic-key")]
    [InlineData("http://localhost:7071/api/events", "a-topic-key")]
    public void Validate_HttpsOrLoopbackEndpoint_NoError(string endpoint, string? key)
    {
        Assert.Empty(Validate(new EventGridOptions { TopicEndpoint = new Uri(endpoint), TopicKey = key }));
    }

    [Theory]
    [InlineData("http://compliance.westeurope-1.eventgrid.azure.net/api/events")]
    [InlineData("/api/events")]
    public void Validate_PlainHttpToAnotherHostOrRelativeEndpoint_ErrorOnTopicEndpoint(string endpoint)
    {
        var error = Assert.Single(Validate(new EventGridOptions { TopicEndpoint = new Uri(endpoint, UriKind.RelativeOrAbsolute) }));

        Assert.Equal([nameof(EventGridOptions.TopicEndpoint)], error.MemberNames);
        Assert.Equal("Compliance:Notifications:EventGrid:TopicEndpoint must be an absolute https URL (http only for a loopback host).", error.ErrorMessage);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("", "https://compliance.westeurope-1.eventgrid.azure.net/api/events")]
    public void Validate_EmptyKey_NoErrorSinceEmptyMeansManagedIdentity(string key, string? endpoint)
    {
        // Settings are listed with empty values when unused (local.settings.json, the deployed app settings).
        Assert.Empty(Validate(new EventGridOptions { TopicEndpoint = endpoint is null ? null : new Uri(endpoint), TopicKey = key }));
    }
}
