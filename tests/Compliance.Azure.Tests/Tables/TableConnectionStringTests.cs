using Compliance.Azure.Tables;

namespace Compliance.Azure.Tests.Tables;

public sealed class TableConnectionStringTests
{
    /// <summary>A made-up key (64 bytes, Base64), distinctive enough to search messages for.</summary>
    private const string Key = "c2VjcmV0LWtleS1kby1ub3QtbGVhay1zZWNyZXQta2V5LWRvLW5vdC1sZWFrLXNlY3JldC1rZXktZG8tbm90LWxlYWsh";

    [Fact]
    public void Parse_DevelopmentStorage_IsAzuriteOnItsDefaultPortWithTheWellKnownAccount()
    {
        var parsed = TableConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.Credential.AccountName);
    }

    [Fact]
    public void Parse_AccountKeyWithSuffix_DerivesTheTableEndpoint()
    {
        var parsed = TableConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://acct.table.core.chinacloudapi.cn"), parsed.TableEndpoint);
        Assert.Equal("acct", parsed.Credential.AccountName);
    }

    [Fact]
    public void Parse_NoSuffixNoProtocol_DefaultsToHttpsOnCoreWindowsNet()
    {
        var parsed = TableConnectionString.Parse($"AccountName=acct;AccountKey={Key}");

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), parsed.TableEndpoint);
    }

    [Fact]
    public void Parse_ExplicitTableEndpoint_UsesItAsIs()
    {
        var parsed = TableConnectionString.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:51234/devstoreaccount1;");

        Assert.Equal(new Uri("http://127.0.0.1:51234/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.Credential.AccountName);
    }

    [Fact]
    public void Parse_NamesInAnyCaseAndSpacesAroundSettings_AreAccepted()
    {
        var parsed = TableConnectionString.Parse($" accountname = acct ; ACCOUNTKEY={Key} ; endpointsuffix=example.org ");

        Assert.Equal(new Uri("https://acct.table.example.org"), parsed.TableEndpoint);
    }

    [Theory]
    [InlineData("AccountName=acct")]
    [InlineData("AccountName=acct;AccountKey=")]
    [InlineData("AccountName=acct;SharedAccessSignature=sv=2020&sig=abc")]
    public void Parse_NoKey_ThrowsArgumentExceptionThatSaysSo(string connectionString)
    {
        var error = Assert.Throws<ArgumentException>(() => TableConnectionString.Parse(connectionString));

        Assert.Contains("AccountKey", error.Message, StringComparison.Ordinal);
        Assert.Equal("connectionString", error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("=value;AccountKey={0}")]
    [InlineData("AccountKey={0}")]
    [InlineData("AccountName=acct;AccountKey={0};AccountKey={0}")]
    [InlineData("AccountName=acct;AccountKey={0};DefaultEndpointsProtocol=ftp")]
    [InlineData("AccountName=acct;AccountKey={0};TableEndpoint=not a url")]
    [InlineData("AccountName=acct;AccountKey={0};TableEndpoint=ftp://host/x")]
    [InlineData("AccountName=acct;AccountKey={0}!!;")]
    [InlineData("UseDevelopmentStorage=false;AccountKey={0}")]
    [InlineData("AccountName=acct;AccountKey={0};nonsense")]
    public void Parse_Malformed_ThrowsArgumentExceptionWithoutTheKey(string template)
    {
        var connectionString = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Key);

        var error = Assert.Throws<ArgumentException>(() => TableConnectionString.Parse(connectionString));

        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key[..12], error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_OfTheParsedConnectionString_NeverShowsTheKey()
    {
        var parsed = TableConnectionString.Parse($"AccountName=acct;AccountKey={Key}");

        Assert.DoesNotContain(Key[..12], parsed.ToString(), StringComparison.Ordinal);
        Assert.Contains("acct", parsed.ToString(), StringComparison.Ordinal);
    }
}
