using Compliance.Functions;

var app = ComplianceFunctionsApp.Build(args);
await app.RunAsync();
