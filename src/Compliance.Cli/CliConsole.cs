namespace Compliance.Cli;

/// <summary>Where the CLI writes: the report or tables to <see cref="Out"/>, progress and errors to <see cref="Error"/>.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Interactive">Whether a person watches a terminal; progress is shown only then.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool Interactive);
