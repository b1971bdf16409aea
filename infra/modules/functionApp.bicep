// The Functions app (.NET isolated worker) on a Flex Consumption plan, and what its system-assigned identity may do in
// this resource group: the storage data roles the host and the app need, "Monitoring Metrics Publisher" on Application
// Insights (Entra ID authenticated telemetry) and "EventGrid Data Sender" on the notification topic. The assignments
// live here rather than next to those resources because the identity exists only once the app does, while the app needs
// the component’s connection string and the topic’s endpoint before that.
//
// Flex Consumption takes the runtime from functionAppConfig.runtime and runs from the package in the deployment
// container, so the worker runtime, extension version, run-from-package and content share app settings of the other
// plans are deliberately absent (Flex rejects them).

@description('Name of the function app (also its default host name).')
@minLength(2)
@maxLength(60)
param functionAppName string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Name of the storage account created by storage.bicep (same resource group).')
param storageAccountName string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Name of the Application Insights component created by monitoring.bicep (same resource group).')
param appInsightsName string

@description('Name of the Event Grid custom topic created by notifications.bicep (same resource group).')
param notificationTopicName string

@description('Queue of that storage account the subscription\'s resource-change events arrive on (created by storage.bicep).')
param eventQueueName string = 'resource-changes'

@description('Queue of that storage account resource re-checks wait in (created by storage.bicep).')
param recheckQueueName string = 'resource-rechecks'

@description('How long a re-check waits after the event that scheduled it; events of the same resource meanwhile add nothing (a .NET TimeSpan, 00:00:00 to 01:00:00).')
param recheckDelay string = '00:02:00'

@description('When an event\'s re-check finds the VM agent not ready or the machine starting, the waits before each further try, comma-separated; the verdict is stored once a try gets past that or the list is spent (empty: at once).')
param settleRetries string = '00:02:00,00:05:00,00:15:00'

@description('Scans that may be started on request (POST /api/scans) in an hour (1-60).')
@minValue(1)
@maxValue(60)
param maxStartsPerHour int = 6

@description('Upper bound of instances the plan scales the app out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('When scans run: NCRONTAB with seconds, UTC.')
param scanSchedule string = '0 0 */6 * * *'

@description('Machines checked at the same time, per batch (1-1024).')
@minValue(1)
@maxValue(1024)
param scanMaxConcurrency int = 16

@description('Resources per queue message (1-500).')
@minValue(1)
@maxValue(500)
param scanBatchSize int = 20

@description('Leave out machines whose compliant verdict is younger than this (d.hh:mm:ss); 00:00:00 checks every machine every scan.')
param skipCompliantFor string = '00:00:00'

@description('Tag whose value true marks a resource as running untrusted code.')
param untrustedCodeTagName string = 'compliance-untrusted-code'

@description('What LATER_VARIANT_VULNERABLE calls for: None, or Remedy (GuestUpdate is its older name).')
@allowed([
  'None'
  'Remedy'
  'GuestUpdate'
])
param laterVariantAction string = 'None'

@description('How often an action still needed is notified again (a .NET TimeSpan, d.hh:mm:ss).')
param reminderInterval string = '7.00:00:00'

@description('How long before an exemption expires Compliance.ExemptionExpiring is published.')
param exemptionExpiringNotice string = '7.00:00:00'

@description('When exemptions are swept: NCRONTAB with seconds, UTC.')
param exemptionSweepSchedule string = '0 */5 * * * *'

@description('Who may call the API: functionKeys (the host\'s function keys alone) or entraId (App Service Authentication with Entra ID in front, app roles decide, function keys still checked).')
@allowed([
  'functionKeys'
  'entraId'
])
param apiAuthentication string = 'functionKeys'

@description('With entraId: the client id of the Entra ID app registration that defines the app roles Compliance.Read and Compliance.Operate.')
param apiClientId string = ''

@description('With entraId: the tenant of that app registration.')
param apiTenantId string = tenant().tenantId

@description('Whether remediation is on (Compliance__Remediation__Enabled); main.bicep grants the remediator role with the same parameter.')
param enableRemediation bool = false

@description('Queue the steps of approved remediation plans wait in.')
param remediationQueueName string = 'remediations'

@description('Whether the author of a remediation plan may not approve it.')
param remediationRequireDifferentApprover bool = false

@description('installPatches\' maximumDuration when a plan names none.')
param remediationDefaultMaximumDuration string = '02:00:00'

@description('The reboot setting when a plan names none.')
param remediationDefaultRebootSetting string = 'IfRequired'

@description('How long after a restart the verifying check waits.')
param remediationVerifyDelay string = '00:05:00'

var entraId = apiAuthentication == 'entraId'

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  eventGridDataSender: 'd5a91429-5739-47e2-a06b-3470a27159e7'
}

var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource notificationTopic 'Microsoft.EventGrid/topics@2025-02-15' existing = {
  name: notificationTopicName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Key-shaped settings are empty on purpose (empty = unset to the app): managed identity is used everywhere
      // (host storage, tables, queues, Event Grid publishing, ARM), the API under the Functions host is protected by
      // function keys, and in Azure notifications go through the Event Grid topic, not the direct webhook.
      appSettings: [
        // The one storage connection: the host, the queue triggers and the app's own tables and queues all use it. The
        // service URIs come from the account, so they are right in every cloud; the account name stays for readers
        // that only take that form.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
        { name: 'Compliance__Scan__Schedule', value: scanSchedule }
        { name: 'Compliance__Scan__Subscriptions', value: subscription().subscriptionId }
        { name: 'Compliance__Scan__MaxConcurrency', value: string(scanMaxConcurrency) }
        { name: 'Compliance__Scan__BatchSize', value: string(scanBatchSize) }
        { name: 'Compliance__Scan__MaxConcurrentBatches', value: '4' }
        { name: 'Compliance__Scan__SkipCompliantFor', value: skipCompliantFor }
        // Under host.json's functionTimeout (00:30:00), with room to store and notify after the budget runs out.
        { name: 'Compliance__Scan__BatchTimeBudget', value: '00:20:00' }
        { name: 'Compliance__Scan__Retention', value: '30.00:00:00' }
        { name: 'Compliance__Scan__MaxStartsPerHour', value: string(maxStartsPerHour) }
        // The queue the timer and StartScan functions fill and CheckMachines drains (its trigger binds this setting),
        // with host.json's retry settings, so that the app reads the same queue when it ends scans left running.
        { name: 'Compliance__Queue__QueueName', value: 'compliance-batches' }
        { name: 'Compliance__Queue__VisibilityTimeout', value: '00:02:00' }
        { name: 'Compliance__Queue__RetryDelay', value: '00:01:00' }
        { name: 'Compliance__Queue__MaxDequeueCount', value: '5' }
        { name: 'Compliance__Queue__MaxPollingInterval', value: '00:00:02' }
        // The queue Event Grid delivers resource changes to; the ResourceChanged trigger binds this setting.
        { name: 'Compliance__Events__QueueName', value: eventQueueName }
        { name: 'Compliance__Events__RecheckQueueName', value: recheckQueueName }
        { name: 'Compliance__Events__RecheckDelay', value: recheckDelay }
        { name: 'Compliance__Events__SettleRetries', value: settleRetries }
        { name: 'Compliance__Rules__UntrustedCodeTagName', value: untrustedCodeTagName }
        { name: 'Compliance__Rules__LaterVariantAction', value: laterVariantAction }
        { name: 'Compliance__Remediation__Enabled', value: enableRemediation ? 'true' : 'false' }
        { name: 'Compliance__Remediation__QueueName', value: remediationQueueName }
        { name: 'Compliance__Remediation__RequireDifferentApprover', value: remediationRequireDifferentApprover ? 'true' : 'false' }
        { name: 'Compliance__Remediation__DefaultMaximumDuration', value: remediationDefaultMaximumDuration }
        { name: 'Compliance__Remediation__DefaultRebootSetting', value: remediationDefaultRebootSetting }
        { name: 'Compliance__Remediation__VerifyDelay', value: remediationVerifyDelay }
        { name: 'Compliance__Arm__Endpoint', value: environment().resourceManager }
        { name: 'Compliance__Arm__Audience', value: environment().resourceManager }
        { name: 'Compliance__Arm__ManagedIdentityClientId', value: '' }
        { name: 'Compliance__Arm__MaxRetries', value: '3' }
        { name: 'Compliance__Arm__RetryDelay', value: '00:00:00.8' }
        { name: 'Compliance__Arm__RunCommandConflictRetries', value: '2' }
        { name: 'Compliance__Arm__RunCommandConflictBackoff', value: '00:00:10' }
        // No Compliance__Storage__ConnectionString, __TableServiceUri or __QueueServiceUri: the app falls back to
        // AzureWebJobsStorage above, so the account is named once.
        { name: 'Compliance__Storage__TablePrefix', value: '' }
        { name: 'Compliance__Notifications__ReminderInterval', value: reminderInterval }
        { name: 'Compliance__Exemptions__ExpiringNotice', value: exemptionExpiringNotice }
        { name: 'Compliance__Exemptions__SweepSchedule', value: exemptionSweepSchedule }
        { name: 'Compliance__Notifications__DispatchLease', value: '00:00:30' }
        { name: 'Compliance__Notifications__Source', value: '/compliance' }
        { name: 'Compliance__Notifications__EventGrid__TopicEndpoint', value: notificationTopic.properties.endpoint }
        { name: 'Compliance__Notifications__EventGrid__TopicKey', value: '' }
        { name: 'Compliance__Notifications__Webhook__Url', value: '' }
        { name: 'Compliance__Notifications__Webhook__Secret', value: '' }
        { name: 'Compliance__Notifications__Webhook__Timeout', value: '00:00:10' }
        // The keys are compliance serve's; the Functions app is protected by function keys (and app roles with entraId).
        { name: 'Compliance__Api__ReadKey', value: '' }
        { name: 'Compliance__Api__Key', value: '' }
        { name: 'Compliance__Api__OperatorKey', value: '' }
        { name: 'Compliance__Api__Authentication', value: entraId ? 'AppService' : 'FunctionKeys' }
        { name: 'Compliance__Api__MaxPageSize', value: '1000' }
        { name: 'Compliance__Api__RequestsPerMinute', value: '120' }
        { name: 'Compliance__Api__CredentialRequestsPerMinute', value: '600' }
        { name: 'Compliance__Api__FailedAuthenticationsPerMinute', value: '10' }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      // The .NET isolated worker on the .NET of the app's target framework (Microsoft.Web RuntimeName: dotnet-isolated,
      // node, java, powershell, python, custom; `az functionapp list-flexconsumption-runtimes` lists the versions).
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
    }
  }
}

// Host storage (blobs: leases, timer schedule monitor, deployment package), the batch queue it fills and drains, the
// event queue it drains (poison messages included) and the app’s tables.
// App Service Authentication in front of the API and the dashboard: every request needs an Entra ID token for the app
// registration (401 otherwise, before the host or the worker sees it); the app's role check reads the roles the
// platform passes in X-MS-CLIENT-PRINCIPAL, which it strips from clients' requests while this is on.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = if (entraId) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: apiClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${apiTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${apiClientId}'
            apiClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    name: guid(storage.id, app.id, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: app.identity.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Entra ID authenticated telemetry (the component has DisableLocalAuth).
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, app.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// Publishing notifications without a topic key (the topic has disableLocalAuth).
resource eventGridSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(notificationTopic.id, app.id, roles.eventGridDataSender)
  scope: notificationTopic
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventGridDataSender)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

@description('Name of the function app.')
output name string = app.name

@description('Resource id of the function app.')
output id string = app.id

@description('Default host name of the function app.')
output defaultHostName string = app.properties.defaultHostName

@description('Principal id of the app\'s system-assigned identity.')
output principalId string = app.identity.principalId
