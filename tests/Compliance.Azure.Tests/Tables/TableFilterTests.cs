using Compliance.Azure.Tables;

namespace Compliance.Azure.Tests.Tables;

public sealed class TableFilterTests
{
    [Fact]
    public void Create_String_QuotesItAndDoublesItsQuotes()
    {
        var name = "O'Brien";

        Assert.Equal("Name eq 'O''Brien'", TableFilter.Create($"Name eq {name}"));
    }

    [Fact]
    public void Create_StringThatClosesTheQuote_StaysOneLiteral()
    {
        var value = "' or PartitionKey ne '";

        Assert.Equal("Name eq ''' or PartitionKey ne '''", TableFilter.Create($"Name eq {value}"));
    }

    [Fact]
    public void Create_EmptyString_IsTwoQuotes()
    {
        var value = string.Empty;

        Assert.Equal("Name eq ''", TableFilter.Create($"Name eq {value}"));
    }

    [Theory]
    [InlineData(true, "Flag eq true")]
    [InlineData(false, "Flag eq false")]
    public void Create_Bool_IsLowerCase(bool value, string expected) => Assert.Equal(expected, TableFilter.Create($"Flag eq {value}"));

    [Theory]
    [InlineData(0, "N eq 0")]
    [InlineData(-42, "N eq -42")]
    [InlineData(int.MaxValue, "N eq 2147483647")]
    public void Create_Int_IsAsIs(int value, string expected) => Assert.Equal(expected, TableFilter.Create($"N eq {value}"));

    [Theory]
    [InlineData(123L, "N eq 123L")]
    [InlineData(-5_000_000_000L, "N eq -5000000000L")]
    [InlineData(long.MaxValue, "N eq 9223372036854775807L")]
    public void Create_Long_HasTheLSuffix(long value, string expected) => Assert.Equal(expected, TableFilter.Create($"N eq {value}"));

    [Theory]
    [InlineData(1.5, "D eq 1.5")]
    [InlineData(2.0, "D eq 2.0")]
    [InlineData(-0.25, "D eq -0.25")]
    [InlineData(1e20, "D eq 1.0E+20")]
    [InlineData(1.25e-7, "D eq 1.25E-07")]
    public void Create_Double_IsInvariantWithADecimalPoint(double value, string expected) => Assert.Equal(expected, TableFilter.Create($"D eq {value}"));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Create_NonFiniteDouble_ThrowsArgumentException(double value) =>
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"D eq {value}"));

    [Fact]
    public void Create_DateTimeOffset_IsUtcDatetimeLiteralToTheTick()
    {
        var value = new DateTimeOffset(2020, 1, 1, 2, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567);

        Assert.Equal("T ge datetime'2020-01-01T00:00:00.1234567Z'", TableFilter.Create($"T ge {value}"));
    }

    [Fact]
    public void Create_UtcDateTime_IsDatetimeLiteral()
    {
        var value = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal("T ge datetime'2020-01-01T00:00:00.0000000Z'", TableFilter.Create($"T ge {value}"));
    }

    [Theory]
    [InlineData(DateTimeKind.Local)]
    [InlineData(DateTimeKind.Unspecified)]
    public void Create_NonUtcDateTime_ThrowsArgumentException(DateTimeKind kind)
    {
        var value = new DateTime(2020, 1, 1, 0, 0, 0, kind);

        Assert.Throws<ArgumentException>(() => TableFilter.Create($"T ge {value}"));
    }

    [Fact]
    public void Create_Guid_IsGuidLiteral()
    {
        var value = Guid.Parse("0F8FAD5B-D9CB-469F-A165-70867728950E");

        Assert.Equal("Id eq guid'0f8fad5b-d9cb-469f-a165-70867728950e'", TableFilter.Create($"Id eq {value}"));
    }

    [Fact]
    public void Create_Bytes_IsLowerCaseHexBinaryLiteral()
    {
        var value = new byte[] { 0x0a, 0x0b, 0xff };

        Assert.Equal("B eq X'0a0bff'", TableFilter.Create($"B eq {value}"));
    }

    [Fact]
    public void Create_Null_IsNullLiteral()
    {
        string? value = null;

        Assert.Equal("Name eq null", TableFilter.Create($"Name eq {value}"));
    }

    [Fact]
    public void Create_SeveralValues_EscapesEachByItsType()
    {
        var partition = "a'b";
        var minimum = 5_000_000_000L;
        var active = true;

        Assert.Equal(
            "PartitionKey eq 'a''b' and Big ge 5000000000L and Active eq true",
            TableFilter.Create($"PartitionKey eq {partition} and Big ge {minimum} and Active eq {active}"));
    }

    [Fact]
    public void Create_NoValues_ReturnsTheFormatAsIs() =>
        Assert.Equal("PartitionKey eq 'p'", TableFilter.Create($"PartitionKey eq 'p'"));

    [Theory]
    [InlineData(typeof(decimal))]
    [InlineData(typeof(float))]
    [InlineData(typeof(char))]
    [InlineData(typeof(object))]
    public void Create_UnsupportedType_ThrowsArgumentException(Type type)
    {
        var value = type == typeof(decimal) ? 1.5m : type == typeof(float) ? 1.5f : type == typeof(char) ? 'x' : new object();

        var error = Assert.Throws<ArgumentException>(() => TableFilter.Create($"X eq {value}"));

        Assert.Contains(type.Name, error.Message, StringComparison.Ordinal);
    }
}
