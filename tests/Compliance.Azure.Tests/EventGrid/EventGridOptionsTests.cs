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
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_EmptyKey_ErrorOnTopicKey(string key)
    {
        var options = new EventGridOptions { TopicEndpoint = new Uri("https://compliance.westeurope-1.eventgrid.azure.net/api/events"), TopicKey = key };

        var error = Assert.Single(Validate(options));

        Assert.Equal([nameof(EventGridOptions.TopicKey)], error.MemberNames);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_EmptyKeyWithoutEndpoint_NoError(string? key)
    {
        // local.settings.json lists every setting, empty when unused: the sink is off and the key means nothing.
        Assert.Empty(Validate(new EventGridOptions { TopicKey = key }));
    }
}
