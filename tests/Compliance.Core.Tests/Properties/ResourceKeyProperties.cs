using Compliance.Core.Inventory;
using Compliance.Core.Storage;
using FsCheck.Fluent;

namespace Compliance.Core.Tests.Properties;

/// <summary>The row-key encoding, over generated text: round trip, no collisions, only the characters keys may hold.</summary>
public sealed class ResourceKeyProperties
{
    private static bool IsKeyCharacter(char c) =>
        c < 128 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '(' or ')' or ':' or '!');

    private static readonly System.Text.UTF8Encoding _strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool IsWellFormed(string text)
    {
        try
        {
            _strict.GetByteCount(text);
            return true;
        }
        catch (System.Text.EncoderFallbackException)
        {
            return false;
        }
    }

    // One character for each kept one, three ("!XX") for each UTF-8 byte of the others.
    private static int EncodedLength(string text) =>
        text.EnumerateRunes().Sum(r => r.IsAscii && (IsKeyCharacter((char)r.Value) || r.Value == '/') && r.Value is not (':' or '!') ? 1 : 3 * r.Utf8SequenceLength);

    private static bool TryEncode(string text, out string key)
    {
        try
        {
            key = ResourceKey.Encode(text);
            return true;
        }
        catch (ArgumentException)
        {
            key = string.Empty;
            return false;
        }
    }

    [Fact]
    public void Encode_ThenDecode_GivesTheTextBack_OrRefusesIllFormedText() =>
        PropertyRuns.Check(Prop.ForAll(PropertyRuns.AnyString, text =>
            TryEncode(text, out var key)
                ? ResourceKey.Decode(key) == text
                : !IsWellFormed(text) || EncodedLength(text) > ResourceKey.MaxKeyLength));

    [Fact]
    public void Encode_UsesOnlyCharactersTableKeysMayHold() =>
        PropertyRuns.Check(Prop.ForAll(PropertyRuns.AnyString, text =>
            !TryEncode(text, out var key) || key.All(IsKeyCharacter)));

    [Fact]
    public void Encode_TwoDifferentTexts_NeverShareAKey() =>
        PropertyRuns.Check(Prop.ForAll(PropertyRuns.AnyString, PropertyRuns.AnyString, (a, b) =>
            a == b || !TryEncode(a, out var keyA) || !TryEncode(b, out var keyB) || keyA != keyB));

    [Fact]
    public void Decode_AnyKey_ReturnsTheOneTextThatEncodesToIt_OrRefuses() =>
        PropertyRuns.Check(Prop.ForAll(PropertyRuns.AnyString, key =>
        {
            try
            {
                return ResourceKey.Encode(ResourceKey.Decode(key)) == key;
            }
            catch (FormatException)
            {
                return true;
            }
        }));

    [Fact]
    public void RowKey_IgnoresTheCaseOfTheId_AndLeadsBackToIt()
    {
        var names = Gen.Elements("vm-1", "VM-1", "Web_Server.01", "db(2)", "naïve", "Über", "a-b-c").ToArbitrary();
        var groups = Gen.Elements("rg", "RG-Prod", "rg.test", "Gruppe-é").ToArbitrary();
        PropertyRuns.Check(Prop.ForAll(names, groups, (name, group) =>
        {
            var id = new ResourceId($"/subscriptions/11111111-1111-1111-1111-11111111111A/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}");
            var upper = new ResourceId(id.Value.ToUpperInvariant());
            var key = ResourceKey.RowKey(id);
            return key == ResourceKey.RowKey(upper)
                && ResourceKey.ResourceIdOf(ResourceKey.PartitionKey(id), key) == id.Value.ToLowerInvariant();
        }));
    }

    [Theory]
    [InlineData("!41")] // "A" is kept as is, never escaped
    [InlineData("!c3!a9")] // lower-case hex is not how keys are spelled
    [InlineData("!C3")] // half of a UTF-8 sequence
    [InlineData("!FF")] // never UTF-8
    [InlineData("a/b")] // '/' cannot be in a key
    public void Decode_KeysEncodeNeverMakes_AreRefused(string key) =>
        Assert.Throws<FormatException>(() => ResourceKey.Decode(key));

    [Fact]
    public void Encode_LoneSurrogate_IsRefused()
    {
        // Built here: theory data would carry them through a serializer that replaces them.
        Assert.Throws<ArgumentException>(() => ResourceKey.Encode(new string((char)0xD800, 1)));
        Assert.Throws<ArgumentException>(() => ResourceKey.Encode("a" + (char)0xDC00 + "b"));
        Assert.Equal("!F0!9F!98!80", ResourceKey.Encode("😀"));
    }
}
