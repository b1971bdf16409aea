using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>
/// In Azure the host and the app share one storage connection, AzureWebJobsStorage, made with the app's managed
/// identity to the endpoints of the account the Bicep creates; the app's identity holds the data roles it needs there.
/// </summary>
public sealed partial class StorageConnectionTests
{
    private const string FunctionApp = "infra/modules/functionApp.bicep";

    private static readonly InfraDocuments _documents = InfraDocuments.Load();
    private static readonly InfraModel _infra = InfraModel.Read(_documents);

    [Theory]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "storage.properties.primaryEndpoints.blob")]
    [InlineData("AzureWebJobsStorage__queueServiceUri", "storage.properties.primaryEndpoints.queue")]
    [InlineData("AzureWebJobsStorage__tableServiceUri", "storage.properties.primaryEndpoints.table")]
    [InlineData("AzureWebJobsStorage__accountName", "storage.name")]
    [InlineData("AzureWebJobsStorage__credential", "'managedidentity'")]
    public void AppSetting_IsTheAccountsWithTheManagedIdentity(string name, string value) =>
        Assert.Equal(value, Assert.Single(_infra.AppSettings, s => s.Name == name).Value);

    [Fact]
    public void AppSettings_NameNoOtherStorage()
    {
        Assert.DoesNotContain(_infra.AppSettings, s => s.Name == "AzureWebJobsStorage");
        Assert.DoesNotContain(_infra.AppSettings, s => s.Name.StartsWith("Compliance__Storage__", StringComparison.Ordinal) && s.Name != "Compliance__Storage__TablePrefix");
    }

    [Fact]
    public void AppIdentity_HoldsTheBlobQueueAndTableRolesOnTheAccount()
    {
        var text = _documents.Files[FunctionApp];
        var roles = BicepText.Inner(BicepText.Declared(text, "var", "roles"));
        var storageRoles = BicepText.Items(BicepText.Inner(BicepText.Declared(text, "var", "storageRoles")));
        var assignment = Assert.Single(BicepText.Declarations(text), d => d.IsResource("Microsoft.Authorization/roleAssignments") && LoopOver().IsMatch(d.Body));
        var properties = BicepText.Inner(BicepText.Property(assignment.Body, "properties"));

        Assert.Equal(
            ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"],
            storageRoles.Select(r => BicepText.Literal(BicepText.Property(roles, r.Replace("roles.", string.Empty, StringComparison.Ordinal)))).Order(StringComparer.Ordinal));
        Assert.Equal("storage", BicepText.Property(assignment.Body, "scope"));
        Assert.Equal("app.identity.principalId", BicepText.Property(properties, "principalId"));
    }

    // The loop resource of the app's storage roles: "[for roleId in storageRoles: {".
    [GeneratedRegex(@"\broleId\b", RegexOptions.CultureInvariant)]
    private static partial Regex LoopOver();
}
