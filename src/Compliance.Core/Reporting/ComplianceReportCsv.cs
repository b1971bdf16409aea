using System.Globalization;
using System.Text;
using Compliance.Core.Rules;

namespace Compliance.Core.Reporting;

/// <summary>
/// Writes a report as CSV (RFC 4180), one row per resource. Cells are data, never formulas or terminal controls: each is
/// written by <see cref="InertText.ForCsv"/> (formula starts neutralised, separators quoted, control characters marked).
/// After the report's own fields, one <c>true</c>/<c>false</c> column per action, so a spreadsheet can filter on one,
/// then, for an <c>Exempt</c> resource, the exemption's id and expiry (empty otherwise).
/// </summary>
public static class ComplianceReportCsv
{
    private static readonly string[] _actions = Enum.GetNames<RemediationAction>();

    private static readonly string[] _header =
    [
        "id", "kind", "name", "subscriptionId", "resourceGroup", "location", "os", "status", "actions", "findings", "checkedAt",
        .. _actions.Select(a => "needs" + a),
        "exemption", "exemptionExpiresOn",
    ];

    /// <summary>Writes the rows of <paramref name="report"/>.</summary>
    public static async Task WriteAsync(TextWriter writer, ComplianceReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        await writer.WriteAsync(Row(_header).AsMemory(), cancellationToken).ConfigureAwait(false);
        foreach (var resource in report.Resources)
        {
            var row = Row(
            [
                resource.Id,
                resource.Kind,
                resource.Name,
                resource.SubscriptionId,
                resource.ResourceGroup,
                resource.Location,
                resource.Os,
                resource.Status,
                string.Join(';', resource.Actions),
                string.Join(';', resource.Findings.Select(f => f.Code)),
                resource.CheckedAt.ToString("O", CultureInfo.InvariantCulture),
                .. _actions.Select(a => resource.Actions.Contains(a, StringComparer.Ordinal) ? "true" : "false"),
                resource.Exemption?.Id,
                resource.Exemption?.ExpiresOn?.ToString("O", CultureInfo.InvariantCulture),
            ]);
            await writer.WriteAsync(row.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The report as a CSV string.</summary>
    public static string Serialize(ComplianceReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteAsync(writer, report, CancellationToken.None).GetAwaiter().GetResult();
        return writer.ToString();
    }

    /// <summary>One CSV cell, inert (<see cref="InertText.ForCsv"/>).</summary>
    public static string Cell(string? value) => InertText.ForCsv(value);

    private static string Row(IEnumerable<string?> cells)
    {
        var builder = new StringBuilder();
        foreach (var cell in cells)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(Cell(cell));
        }

        return builder.Append("\r\n").ToString();
    }
}
