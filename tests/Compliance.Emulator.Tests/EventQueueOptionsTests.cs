namespace Compliance.Emulator.Tests;

public sealed class EventQueueOptionsTests
{
    [Fact]
    public void New_Defaults_AreTheQueueSchemaAndEncodingOfTheAppsEventSubscription()
    {
        var options = new EventQueueOptions();

        Assert.Equal("resource-changes", options.QueueName);
        Assert.Equal("resource-changes", EventQueueOptions.DefaultQueueName);
        Assert.Equal(EventMessageEncoding.Base64, options.Encoding);
        Assert.Equal(EventDeliverySchema.EventGrid, options.Schema);
        Assert.Equal("", options.ConnectionString);
    }
}
