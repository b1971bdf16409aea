using System.Reflection;
using System.Text;
using Compliance.Server.Hosting;

namespace Compliance.Server.Tests.Hosting;

/// <summary>Keys are held as digests only and compared digest to digest, whatever the presented key's length.</summary>
public sealed class ApiKeysTests
{
    private const string ReadKey = "a-read-key-of-32-characters-long";
    private const string OperatorKey = "an-operator-key-of-32-characters";

    [Theory]
    [InlineData(ReadKey, "Read")]
    [InlineData(OperatorKey, "Operate")]
    [InlineData("a-read-key-of-32-characters-lonG", null)]
    [InlineData("a-read-key-of-32-characters-long-and-more", null)]
    [InlineData("a-read-key", null)]
    [InlineData("a", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Match_PresentedKey_GrantsItsPermissionOnly(string? presented, string? expected)
    {
        var keys = new ApiKeys(ReadKey, OperatorKey);

        Assert.Equal(expected, keys.Match(presented)?.Name);
    }

    [Fact]
    public void Match_NoOperatorKey_OperatorKeyIsWrong()
    {
        var keys = new ApiKeys(ReadKey, null);

        Assert.True(keys.HasReadKey);
        Assert.False(keys.HasOperatorKey);
        Assert.Null(keys.Match(OperatorKey));
        Assert.Same(ApiPermission.Read, keys.Match(ReadKey));
    }

    [Fact]
    public void Ctor_Keys_NeverHeldRaw()
    {
        var keys = new ApiKeys(ReadKey, OperatorKey);

        var values = typeof(ApiKeys).GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public).Select(f => f.GetValue(keys)).ToList();
        Assert.NotEmpty(values);
        Assert.DoesNotContain(values, v => v is string);
        foreach (var raw in new[] { ReadKey, OperatorKey })
        {
            Assert.DoesNotContain(values, v => v is byte[] bytes && bytes.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(raw)));
        }

        // What is held has the digest's length, whatever the key's.
        Assert.All(values, v => Assert.Equal(32, Assert.IsType<byte[]>(v).Length));
    }
}
