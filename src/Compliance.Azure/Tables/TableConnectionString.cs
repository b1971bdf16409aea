namespace Compliance.Azure.Tables;

/// <summary>
/// The parts of a storage connection string that the Table client needs. Errors never quote the connection string or
/// any of its values, since the account key is one of them.
/// </summary>
internal sealed record TableConnectionString(Uri TableEndpoint, TableSharedKeyCredential Credential)
{
    /// <summary>Azurite's well-known development account (public, documented, the same on every machine).</summary>
    internal const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>The key of <see cref="DevelopmentAccountName"/>.</summary>
    internal const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Uri _developmentTableEndpoint = new("http://127.0.0.1:10002/devstoreaccount1");

    public static TableConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var settings = Split(connectionString);

        if (settings.TryGetValue("UseDevelopmentStorage", out var development))
        {
            if (!string.Equals(development, "true", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid("UseDevelopmentStorage may only be 'true'.");
            }

            return new TableConnectionString(_developmentTableEndpoint, new TableSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey));
        }

        if (!settings.TryGetValue("AccountName", out var accountName) || accountName.Length == 0)
        {
            throw Invalid("It has no AccountName.");
        }

        if (!settings.TryGetValue("AccountKey", out var accountKey) || accountKey.Length == 0)
        {
            throw Invalid(settings.ContainsKey("SharedAccessSignature")
                ? "It has a SharedAccessSignature but no AccountKey; this client signs requests with the account key only."
                : "It has no AccountKey.");
        }

        if (TableSharedKeyCredential.DecodeKey(accountKey) is null)
        {
            throw Invalid("Its AccountKey is not valid Base64.");
        }

        return new TableConnectionString(Endpoint(settings, accountName), new TableSharedKeyCredential(accountName, accountKey));
    }

    private static Uri Endpoint(Dictionary<string, string> settings, string accountName)
    {
        if (settings.TryGetValue("TableEndpoint", out var explicitEndpoint))
        {
            if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out var endpoint) || !IsHttp(endpoint.Scheme))
            {
                throw Invalid("Its TableEndpoint is not an absolute http or https URL.");
            }

            return endpoint;
        }

        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        if (!IsHttp(protocol))
        {
            throw Invalid("Its DefaultEndpointsProtocol must be http or https.");
        }

        var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        if (!Uri.TryCreate($"{protocol.ToLowerInvariant()}://{accountName}.table.{suffix}", UriKind.Absolute, out var derived))
        {
            throw Invalid("Its AccountName and EndpointSuffix do not form a valid host name.");
        }

        return derived;
    }

    private static Dictionary<string, string> Split(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var position = 0;
        foreach (var segment in connectionString.Split(';'))
        {
            position++;
            var trimmed = segment.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            // Only the first '=' separates: Base64 keys end with '='.
            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Invalid($"Its setting number {position} is not of the form Name=Value.");
            }

            var name = trimmed[..equals].Trim();
            if (!settings.TryAdd(name, trimmed[(equals + 1)..].Trim()))
            {
                throw Invalid($"It sets {name} twice.");
            }
        }

        if (settings.Count == 0)
        {
            throw Invalid("It is empty.");
        }

        return settings;
    }

    private static bool IsHttp(string scheme) =>
        string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) || string.Equals(scheme, "http", StringComparison.OrdinalIgnoreCase);

    private static ArgumentException Invalid(string reason) =>
        new($"The storage connection string is not usable: {reason}", "connectionString");
}
