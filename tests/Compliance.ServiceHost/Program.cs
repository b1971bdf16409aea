using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Compliance.Azure.ResourceManager;
using Compliance.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// The app exactly as it runs on its own (ComplianceServer, settings from the environment), except that ARM is
// the loopback emulator of the test that started this process: its token and its certificate, handed over in two
// variables, replace managed identity and the public certificate chain, as the CLI does for --fleet.
var token = Environment.GetEnvironmentVariable("COMPLIANCE_TEST_ARM_TOKEN");
var certificatePath = Environment.GetEnvironmentVariable("COMPLIANCE_TEST_ARM_CERTIFICATE");
if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(certificatePath))
{
    await Console.Error.WriteLineAsync("compliance-service-host: set COMPLIANCE_TEST_ARM_TOKEN and COMPLIANCE_TEST_ARM_CERTIFICATE (a PEM file).");
    return 2;
}

using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificatePath));
var app = ComplianceServer.Build(args, builder =>
{
    builder.Services.AddSingleton<TokenCredential>(new StaticTokenCredential(token));
    builder.Services.AddSingleton(sp => ComplianceArmClientFactory.Create(
        sp.GetRequiredService<IOptions<ArmOptions>>().Value,
        sp.GetRequiredService<TokenCredential>(),
        certificate));
});
await app.RunAsync();
return 0;
