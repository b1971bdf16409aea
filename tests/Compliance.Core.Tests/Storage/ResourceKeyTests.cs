using System.Text;
using Compliance.Core.Inventory;
using Compliance.Core.Storage;

namespace Compliance.Core.Tests.Storage;

public sealed class ResourceKeyTests
{
    private const string Vm = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-Web/providers/Microsoft.Compute/virtualMachines/Web-01";

    [Fact]
    public void Keys_ReadableAndReversible()
    {
        var id = new ResourceId(Vm);

        var partition = ResourceKey.PartitionKey(id);
        var row = ResourceKey.RowKey(id);

        Assert.Equal("11111111-1111-1111-1111-111111111111", partition);
        Assert.Equal(":resourcegroups:rg-web:providers:microsoft.compute:virtualmachines:web-01", row);
        Assert.Equal(Vm.ToLowerInvariant(), ResourceKey.ResourceIdOf(partition, row));
    }

    [Fact]
    public void Keys_SpellingsOfOneResource_ShareOneKey() =>
        Assert.Equal(ResourceKey.RowKey(new ResourceId(Vm)), ResourceKey.RowKey(new ResourceId(Vm.ToUpperInvariant())));

    [Theory]
    [InlineData("a:b")]
    [InlineData("a!3Ab")]
    [InlineData("a#b?c\\d")]
    [InlineData("tab\there")]
    [InlineData("ünï/cødé ✓ 😀")]
    [InlineData("")]
    public void Encode_RoundTripsAnyText_WithOnlyAllowedCharacters(string text)
    {
        var key = ResourceKey.Encode(text);

        Assert.Equal(text, ResourceKey.Decode(key));
        Assert.All(key, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '(' or ')' or ':' or '!', $"'{c}' in {key}"));
    }

    [Fact]
    public void Encode_RandomTexts_NoCollisionsAndRoundTrip()
    {
        var random = new Random(42);
        const string Alphabet = "ab/:!#?\\-_.() ~%é😀\u0001AB";
        var runes = Alphabet.EnumerateRunes().ToArray();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            var builder = new StringBuilder();
            for (var j = random.Next(0, 12); j > 0; j--)
            {
                builder.Append(runes[random.Next(runes.Length)].ToString());
            }

            var text = builder.ToString();
            var key = ResourceKey.Encode(text);
            Assert.Equal(text, ResourceKey.Decode(key));
            if (keys.TryGetValue(key, out var other))
            {
                Assert.Equal(other, text);
            }

            keys[key] = text;
        }
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a!")]
    [InlineData("a!G0")]
    [InlineData("a b")]
    public void Decode_NotAnEncodedKey_Throws(string key) =>
        Assert.Throws<FormatException>(() => ResourceKey.Decode(key));

    [Fact]
    public void Encode_TooLong_Throws() =>
        Assert.Throws<ArgumentException>(() => ResourceKey.Encode(new string('#', 400)));
}
