namespace Compliance.Infra.Tests;

/// <summary>
/// Where the function definitions come from: the <c>functions.metadata</c> document the isolated worker's build writes
/// next to the app's assembly (<see cref="Compliance.Testing.FunctionsMetadata.PathOf"/>).
/// </summary>
internal static class FunctionsMetadata
{
    public const string FileName = "functions.metadata";

    /// <summary>The document the repository's consistency checks read, and what the mutation tests change a copy of.</summary>
    public static string Current => Compliance.Testing.FunctionsMetadata.PathOf();
}
