using Azure.Core;

namespace Compliance.Azure.Tables;

/// <summary>Pipeline options of a <see cref="TableClient"/>: retries, diagnostics and the transport.</summary>
public sealed class TableClientOptions : ClientOptions
{
}
