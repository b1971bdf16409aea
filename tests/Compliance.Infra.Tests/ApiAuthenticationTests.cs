using System.Text.Json;

namespace Compliance.Infra.Tests;

/// <summary>
/// The Bicep parameter apiAuthentication compiles and lints both ways, and one condition, the parameter being
/// entraId, gates both App Service Authentication (authsettingsV2) and the app setting that turns on the role check.
/// </summary>
public sealed class ApiAuthenticationTests
{
    private const string ClientId = "11111111-2222-3333-4444-555555555555";

    [Theory]
    [InlineData("functionKeys")]
    [InlineData("entraId")]
    public async Task Build_EitherWay_AuthSettingsAndRoleCheckFollowTheParameter(string mode)
    {
        var folder = Directory.CreateTempSubdirectory("compliance-auth-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(RepositoryFiles.PathOf("infra"), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(folder.FullName, Path.GetRelativePath(RepositoryFiles.PathOf("infra"), file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            var main = Path.Combine(folder.FullName, "main.bicep");
            var text = await File.ReadAllTextAsync(main);
            Assert.Contains("param apiAuthentication string = 'functionKeys'", text, StringComparison.Ordinal);
            text = text
                .Replace("param apiAuthentication string = 'functionKeys'", $"param apiAuthentication string = '{mode}'", StringComparison.Ordinal)
                .Replace("param apiClientId string = ''", $"param apiClientId string = '{ClientId}'", StringComparison.Ordinal);
            await File.WriteAllTextAsync(main, text);

            var run = await BicepCli.CheckAsync(main);

            Assert.True(run.BuildExitCode == 0 && run.LintExitCode == 0, $"bicep with apiAuthentication={mode}: {string.Join("; ", run.Diagnostics)}");
            using var template = JsonDocument.Parse(run.Template);
            Assert.Equal(mode, template.RootElement.GetProperty("parameters").GetProperty("apiAuthentication").GetProperty("defaultValue").GetString());
            var module = Resources(template.RootElement).Single(r => r.TryGetProperty("name", out var n) && n.GetString() == "compliance-function-app");
            Assert.Equal("[parameters('apiAuthentication')]", module.GetProperty("properties").GetProperty("parameters").GetProperty("apiAuthentication").GetProperty("value").GetString());
            var inner = module.GetProperty("properties").GetProperty("template");
            Assert.Equal("[equals(parameters('apiAuthentication'), 'entraId')]", inner.GetProperty("variables").GetProperty("entraId").GetString());

            var auth = Resources(inner).Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites/config");
            Assert.Contains("authsettingsV2", auth.GetProperty("name").GetString(), StringComparison.Ordinal);
            Assert.Equal("[variables('entraId')]", auth.GetProperty("condition").GetString());
            var properties = auth.GetProperty("properties");
            Assert.True(properties.GetProperty("globalValidation").GetProperty("requireAuthentication").GetBoolean());
            Assert.Equal("Return401", properties.GetProperty("globalValidation").GetProperty("unauthenticatedClientAction").GetString());
            Assert.Equal("[parameters('apiClientId')]", properties.GetProperty("identityProviders").GetProperty("azureActiveDirectory").GetProperty("registration").GetProperty("clientId").GetString());

            var site = Resources(inner).Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites");
            var setting = site.GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
                .Single(s => s.GetProperty("name").GetString() == "Compliance__Api__Authentication");
            Assert.Equal("[if(variables('entraId'), 'AppService', 'FunctionKeys')]", setting.GetProperty("value").GetString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // A template's resources, as an array or (language version 2.0) an object of symbolic names.
    private static IEnumerable<JsonElement> Resources(JsonElement template)
    {
        var resources = template.GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray() : resources.EnumerateObject().Select(p => p.Value);
    }
}
