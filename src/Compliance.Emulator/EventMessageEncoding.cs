namespace Compliance.Emulator;

/// <summary>
/// How the emulator writes an event's JSON into a queue message. Event Grid's Storage Queue destination wrote plain
/// text at first and Base64 later (https://github.com/MicrosoftDocs/azure-docs/issues/102923); a consumer has to
/// accept both, so the emulator can write either.
/// </summary>
public enum EventMessageEncoding
{
    /// <summary>The JSON as UTF-8 text (<c>QueueMessageEncoding.None</c>).</summary>
    Raw,

    /// <summary>The JSON's UTF-8 bytes in Base64 (<c>QueueMessageEncoding.Base64</c>), as Event Grid writes today.</summary>
    Base64,
}
