using FsCheck;
using FsCheck.Fluent;

namespace Compliance.Core.Tests.Properties;

/// <summary>Generators and the run settings shared by the property tests.</summary>
internal static class PropertyRuns
{
    /// <summary>Pieces that make the awkward cases likely: separators, escapes, quotes, non-ASCII, surrogates.</summary>
    private static readonly string[] _pieces =
    [
        "/", ":", "!", "!4", "!41", "!c3", "'", "''", "\"", "\\", "#", "?", "%", " ", "\t", "\n", "\0", "\u007f",
        "a", "Z", "0", "-", "_", ".", "(", ")", "é", "É", "ß", "İ", "\u00a0", "€", "😀", "\ud800", "\udc00", "\ufffd",
        "subscriptions", "resourceGroups", "virtualMachines", "vm-1",
    ];

    /// <summary>Any string, lone surrogates and control characters included.</summary>
    public static Arbitrary<string> AnyString { get; } =
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Where(s => s is not null),
            Gen.Elements(_pieces).ListOf().Select(string.Concat),
            Gen.Choose(0, 0xFFFF).Select(c => (char)c).ArrayOf().Select(chars => new string(chars)))
        .ToArbitrary();

    /// <summary>Runs a property over many generated cases; a failure throws with the shrunk counterexample.</summary>
    public static void Check(Property property, int cases = 1000) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true), property);
}
