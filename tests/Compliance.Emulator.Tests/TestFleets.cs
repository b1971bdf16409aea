namespace Compliance.Emulator.Tests;

/// <summary>
/// Fleet files the tests share.
/// </summary>
internal static class TestFleets
{
    public const string SubscriptionId = "11111111-1111-1111-1111-111111111111";
    public const string SecondSubscriptionId = "22222222-2222-2222-2222-222222222222";

    public const string WindowsGuest = """{"schema":1,"os":"Windows","product":{"caption":"Microsoft Windows Server 2016 Datacenter","version":"10.0.14393","ubr":2007,"productType":3},"cpu":{"manufacturer":"GenuineIntel","description":"Intel64 Family 6 Model 85 Stepping 4"},"speculationControl":{"status":"ok","flags":1,"flags2":0},"kvaShadow":{"status":"ok","flags":49},"registry":{"featureSettingsOverride":0,"featureSettingsOverrideMask":3,"minVmVersionForCpuBasedMitigations":null,"qualityCompat":0},"features":["RDS-RD-Server"],"lastBootUtc":"2018-01-12T08:00:00Z"}""";

    public const string LinuxGuest = """{"schema":1,"os":"Linux","kernel":"4.15.0-1013-azure","distro":{"id":"ubuntu","versionId":"18.04","prettyName":"Ubuntu 18.04 LTS"},"vulnerabilities":{"meltdown":"Mitigation: PTI","spectre_v1":"Mitigation: __user pointer sanitization","spectre_v2":"Mitigation: Full generic retpoline"},"lastBootUtc":"2018-01-12T08:00:00Z"}""";

    public const string Configuration = """<ServiceConfiguration serviceName="legacy-api" osFamily="5" osVersion="WA-GUEST-OS-5.14_201712-01" schemaVersion="2015-04.2.6" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration"><Role name="Web"><Instances count="2" /></Role><Role name="Worker"><Instances count="1" /></Role></ServiceConfiguration>""";

    /// <summary>A fleet with one machine of each kind the tests need, named after what is special about it.</summary>
    public static FleetDocument Standard() => FleetDocument.Parse(StandardJson, "standard.json");

    public static FleetDocument WithVirtualMachines(params string[] virtualMachines) => FleetDocument.Parse(
        $$"""{"subscriptions":[{"subscriptionId":"{{SubscriptionId}}","virtualMachines":[{{string.Join(",", virtualMachines)}}]}]}""",
        "test.json");

    public static string StandardJson => $$"""
        {
          "subscriptions": [ {
            "subscriptionId": "{{SubscriptionId}}",
            "displayName": "production",
            "virtualMachines": [
              { "name": "win-ok", "resourceGroup": "rg-rds", "osType": "Windows", "vmSize": "Standard_D4s_v3",
                "image": { "publisher": "MicrosoftWindowsServer", "offer": "WindowsServer", "sku": "2016-Datacenter", "version": "latest" },
                "tags": { "compliance-untrusted-code": "true" },
                "maintenance": { "isCustomerInitiatedMaintenanceAllowed": true,
                                 "maintenanceWindowStartTime": "2030-01-09T00:00:00Z",
                                 "maintenanceWindowEndTime": "2030-01-10T00:00:00Z" },
                "guest": {{WindowsGuest}} },
              { "name": "linux-ok", "resourceGroup": "rg-app", "location": "northeurope", "osType": "Linux", "guest": {{LinuxGuest}},
                "runCommand": { "stderr": "warning: something" } },
              { "name": "win-stopped", "resourceGroup": "rg-app", "osType": "Windows", "powerState": "stopped", "guest": {{WindowsGuest}} },
              { "name": "win-deallocated", "resourceGroup": "rg-app", "osType": "Windows", "powerState": "deallocated" },
              { "name": "win-notready", "resourceGroup": "rg-app", "osType": "Windows", "agentStatus": "NotReady", "guest": {{WindowsGuest}} },
              { "name": "linux-noguest", "resourceGroup": "rg-app", "osType": "Linux", "guest": null },
              { "name": "win-conflict", "resourceGroup": "rg-app", "osType": "Windows", "runCommand": { "failure": "conflict" } },
              { "name": "win-internal", "resourceGroup": "rg-app", "osType": "Windows", "runCommand": { "failure": "internalError" } },
              { "name": "win-timeout", "resourceGroup": "rg-app", "osType": "Windows", "runCommand": { "failure": "timeout" } },
              { "name": "linux-timeout", "resourceGroup": "rg-app", "osType": "Linux", "runCommand": { "failure": "timeout" } },
              { "name": "win-agentfail", "resourceGroup": "rg-app", "osType": "Windows", "runCommand": { "failure": "agentNotReady" } },
              { "name": "win-slow", "resourceGroup": "rg-app", "osType": "Windows", "guest": {{WindowsGuest}}, "runCommand": { "latencyMs": 1500 } }
            ],
            "scaleSets": [ {
              "name": "web-vmss", "resourceGroup": "rg-web", "osType": "Linux", "vmSize": "Standard_D2s_v3",
              "tags": { "environment": "production", "owner": "web" },
              "instances": [
                { "powerState": "running", "guest": {{LinuxGuest}}, "tags": { "owner": "team-7" } },
                { "osType": "Windows", "powerState": "deallocated" },
                { "instanceId": "7", "agentStatus": "NotReady" }
              ]
            } ],
            "cloudServices": [ {
              "name": "legacy-api", "resourceGroup": "rg-legacy",
              "configuration": {{System.Text.Json.JsonSerializer.Serialize(Configuration)}},
              "tags": { "tier": "legacy" }
            } ]
          }, {
            "subscriptionId": "{{SecondSubscriptionId}}"
          } ]
        }
        """;

    public static string Vm(string name, string osType = "Windows", string extra = "") =>
        $$"""{"name":"{{name}}","resourceGroup":"rg","osType":"{{osType}}"{{(extra.Length > 0 ? "," + extra : "")}}}""";
}
