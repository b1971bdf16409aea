using Microsoft.Extensions.Logging;

namespace Compliance.Testing;

/// <summary>One entry the app logged, with everything a log sink could receive from it.</summary>
/// <param name="Category">The logger's category.</param>
/// <param name="Level">The level.</param>
/// <param name="EventId">The event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="State">The structured values of the entry, as text.</param>
/// <param name="Scopes">The values of the scopes around it, as text.</param>
/// <param name="Exception">The exception's full text (type, message, inner exceptions, stack), if any.</param>
public sealed record CapturedLog(
    string Category,
    LogLevel Level,
    EventId EventId,
    string Message,
    IReadOnlyList<KeyValuePair<string, string?>> State,
    IReadOnlyList<KeyValuePair<string, string?>> Scopes,
    string? Exception)
{
    /// <summary>The entry as one line: level, category, event id, message and exception.</summary>
    public string Line => $"{Level} {Category}[{EventId.Id}] {Message} {Exception}";

    /// <summary>Every text of the entry.</summary>
    public IEnumerable<string> Texts() =>
        new[] { Category, Message, Exception }
            .Concat(State.SelectMany(p => new[] { p.Key, p.Value }))
            .Concat(Scopes.SelectMany(p => new[] { p.Key, p.Value }))
            .OfType<string>();
}
