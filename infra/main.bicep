// Compliance: the Functions app that scans a subscription’s VMs, scale-set VMs and Cloud Services for Spectre/Meltdown
// mitigations, with everything it needs. Deployed at subscription scope because it creates the resource group, a custom
// role assigned at subscription scope, and uses (or creates) the subscription’s Event Grid system topic.
//
//   az deployment sub create --location <region> --template-file infra/main.bicep
//
// One deployment holds everything, the event subscription too: it delivers to a storage queue, which Event Grid does
// not validate against the app’s code, so the code can follow (infra/deploy.sh deploys the template, then the code).
// No secure parameters, keys or connection strings anywhere: every connection is made with the app’s (or the system
// topic’s) managed identity.
targetScope = 'subscription'

@description('Name of the resource group that holds the app and its resources (created if missing).')
@minLength(1)
@maxLength(90)
param resourceGroupName string = 'rg-compliance'

@description('Azure region of the resource group and its resources (a region that offers Flex Consumption).')
param location string = deployment().location

@description('Prefix of resource names (lower-case letters, digits and hyphens); a hash of the subscription and resource group makes the names globally unique.')
@minLength(2)
@maxLength(13)
param namePrefix string = 'compliance'

@description('When scans run: NCRONTAB with seconds, UTC (Compliance__Scan__Schedule).')
param scanSchedule string = '0 0 */6 * * *'

@description('Machines checked at the same time, per batch (Compliance__Scan__MaxConcurrency, 1-1024).')
@minValue(1)
@maxValue(1024)
param scanMaxConcurrency int = 16

@description('Resources per queue message (Compliance__Scan__BatchSize, 1-500).')
@minValue(1)
@maxValue(500)
param scanBatchSize int = 20

@description('Leave out machines whose compliant verdict is younger than this, as d.hh:mm:ss; 00:00:00 checks every machine every scan (Compliance__Scan__SkipCompliantFor).')
param skipCompliantFor string = '00:00:00'

@description('Scans that may be started on request (POST /api/scans) in an hour (Compliance__Scan__MaxStartsPerHour, 1-60).')
@minValue(1)
@maxValue(60)
param maxStartsPerHour int = 6

@description('How long a resource\'s re-check waits after the event that scheduled it; further events of it meanwhile add nothing, so a burst costs one Run Command (Compliance__Events__RecheckDelay, 00:00:00 to 01:00:00).')
param recheckDelay string = '00:02:00'

@description('When an event\'s re-check finds the VM agent not ready or the machine starting (right after a start, restart or reimage), the waits before each further try, comma-separated, at most 10 of up to 01:00:00; the earlier verdict stays until a try gets past that or the list is spent (Compliance__Events__SettleRetries; empty: store the first outcome).')
param settleRetries string = '00:02:00,00:05:00,00:15:00'

@description('Tag whose value true marks a resource as running untrusted code (Compliance__Rules__UntrustedCodeTagName).')
param untrustedCodeTagName string = 'compliance-untrusted-code'

@description('What LATER_VARIANT_VULNERABLE calls for: None, or Remedy, the remedy of its holes (a guest update or a setting; GuestUpdate is the older name of Remedy) (Compliance__Rules__LaterVariantAction).')
@allowed([
  'None'
  'Remedy'
  'GuestUpdate'
])
param laterVariantAction string = 'None'

@description('How often an action still needed is notified again, as d.hh:mm:ss (Compliance__Notifications__ReminderInterval).')
param reminderInterval string = '7.00:00:00'

@description('How long before an exemption expires Compliance.ExemptionExpiring is published (Compliance__Exemptions__ExpiringNotice, 01:00:00 to 90.00:00:00).')
param exemptionExpiringNotice string = '7.00:00:00'

@description('When exemptions are swept (expiries recorded and notified again, expiring notices sent): NCRONTAB with seconds, UTC (Compliance__Exemptions__SweepSchedule).')
param exemptionSweepSchedule string = '0 */5 * * * *'

@description('Who may call the API (Compliance__Api__Authentication): functionKeys, the host\'s function keys (StartScan\'s keys are the operator\'s), or entraId, App Service Authentication with Entra ID in front of the API and the dashboard, where the app roles Compliance.Read and Compliance.Operate decide (function keys are still checked).')
@allowed([
  'functionKeys'
  'entraId'
])
param apiAuthentication string = 'functionKeys'

@description('With entraId: the client id of the Entra ID app registration that defines the app roles.')
param apiClientId string = ''

@description('With entraId: the tenant of the app registration; default: this deployment\'s tenant.')
param apiTenantId string = tenant().tenantId

@description('Upper bound of instances the Flex Consumption plan scales the app out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Name of the subscription\'s existing Event Grid system topic (only one may exist per subscription). Empty: create one named <namePrefix>-subscription-events in our resource group.')
param existingSystemTopicName string = ''

@description('Resource group of that existing system topic. Empty: our resource group.')
param existingSystemTopicResourceGroup string = ''

@description('Whether the app may remediate (install patches, apply the KB4072698 settings, restart machines) once an operator approves a plan. When true, a second custom role, Compliance remediator, grants exactly the remediation actions; when false, nothing beyond the scanner role is deployed and the app\'s remediation endpoints answer that remediation is off.')
param enableRemediation bool = false

@description('Whether the author of a remediation plan may not approve it (Compliance__Remediation__RequireDifferentApprover).')
param remediationRequireDifferentApprover bool = false

@description('installPatches\' maximumDuration when a plan names none (Compliance__Remediation__DefaultMaximumDuration, 00:15:00 to 04:00:00).')
param remediationDefaultMaximumDuration string = '02:00:00'

@description('Whether a remediation may restart machines when a plan does not say (Compliance__Remediation__DefaultRebootSetting).')
@allowed([
  'IfRequired'
  'Never'
])
param remediationDefaultRebootSetting string = 'IfRequired'

@description('How long after a restart the verifying check of a remediated machine waits (Compliance__Remediation__VerifyDelay, 00:00:00 to 01:00:00).')
param remediationVerifyDelay string = '00:05:00'

var suffix = uniqueString(subscription().id, resourceGroupName)
var storageAccountName = '${take(toLower(replace(namePrefix, '-', '')), 11)}${suffix}'
var functionAppName = '${namePrefix}-func-${suffix}'
var planName = '${namePrefix}-plan-${suffix}'
var workspaceName = '${namePrefix}-logs-${suffix}'
var appInsightsName = '${namePrefix}-appi-${suffix}'
var notificationTopicName = '${namePrefix}-notify-${suffix}'
var createSystemTopic = empty(existingSystemTopicName)
var systemTopicName = createSystemTopic ? '${namePrefix}-subscription-events' : existingSystemTopicName
var systemTopicResourceGroup = empty(existingSystemTopicResourceGroup) ? resourceGroupName : existingSystemTopicResourceGroup

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: resourceGroupName
  location: location
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'compliance-monitoring'
  scope: rg
  params: {
    workspaceName: workspaceName
    appInsightsName: appInsightsName
    location: location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'compliance-storage'
  scope: rg
  params: {
    storageAccountName: storageAccountName
    location: location
  }
}

module notifications 'modules/notifications.bicep' = {
  name: 'compliance-notifications'
  scope: rg
  params: {
    topicName: notificationTopicName
    location: location
  }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'compliance-function-app'
  scope: rg
  params: {
    functionAppName: functionAppName
    planName: planName
    location: location
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsName: monitoring.outputs.appInsightsName
    notificationTopicName: notifications.outputs.name
    eventQueueName: storage.outputs.eventQueueName
    recheckQueueName: storage.outputs.recheckQueueName
    recheckDelay: recheckDelay
    settleRetries: settleRetries
    maxStartsPerHour: maxStartsPerHour
    maximumInstanceCount: maximumInstanceCount
    scanSchedule: scanSchedule
    scanMaxConcurrency: scanMaxConcurrency
    scanBatchSize: scanBatchSize
    skipCompliantFor: skipCompliantFor
    untrustedCodeTagName: untrustedCodeTagName
    laterVariantAction: laterVariantAction
    reminderInterval: reminderInterval
    exemptionExpiringNotice: exemptionExpiringNotice
    exemptionSweepSchedule: exemptionSweepSchedule
    apiAuthentication: apiAuthentication
    apiClientId: apiClientId
    apiTenantId: apiTenantId
    enableRemediation: enableRemediation
    remediationQueueName: storage.outputs.remediationQueueName
    remediationRequireDifferentApprover: remediationRequireDifferentApprover
    remediationDefaultMaximumDuration: remediationDefaultMaximumDuration
    remediationDefaultRebootSetting: remediationDefaultRebootSetting
    remediationVerifyDelay: remediationVerifyDelay
  }
}

// Subscription scope: the custom role and its assignment to the app’s identity. The module name carries the suffix
// because subscription-scope deployment names are shared by every deployment in the subscription.
module scannerRole 'modules/scannerRole.bicep' = {
  name: 'compliance-scanner-role-${suffix}'
  params: {
    principalId: functionApp.outputs.principalId
  }
}

// Remediation's own role, deployed and assigned only when remediation is on: the scanner role never holds an action
// that changes a machine.
module remediatorRole 'modules/remediatorRole.bicep' = if (enableRemediation) {
  name: 'compliance-remediator-role-${suffix}'
  params: {
    principalId: functionApp.outputs.principalId
  }
}

// The system topic lives in a resource group (ours, or the one that already holds the subscription’s topic). The queue
// name comes from the storage module, the same output the app’s setting takes, so the two cannot drift apart.
module subscriptionEvents 'modules/subscriptionEvents.bicep' = {
  name: 'compliance-subscription-events-${suffix}'
  scope: resourceGroup(systemTopicResourceGroup)
  params: {
    systemTopicName: systemTopicName
    createSystemTopic: createSystemTopic
    eventSubscriptionName: '${functionAppName}-changes'
    storageAccountId: storage.outputs.id
    queueName: storage.outputs.eventQueueName
    deadLetterContainer: storage.outputs.deadLetterContainerName
  }
  // The scope is given by name (it may be another resource group); the outputs above, of a module deployed in our
  // resource group, already make this module wait for it and for the queue.
}

@description('Resource group of the app.')
output resourceGroupName string = rg.name

@description('Name of the function app.')
output functionAppName string = functionApp.outputs.name

@description('Default host name of the function app.')
output functionAppHostName string = functionApp.outputs.defaultHostName

@description('Base URL of the HTTP API (function key required, except for /health).')
output apiUrl string = 'https://${functionApp.outputs.defaultHostName}/api'

@description('URL of the dashboard (function key required: append ?code=<key>).')
output dashboardUrl string = 'https://${functionApp.outputs.defaultHostName}/api/dashboard'

@description('URL of the anonymous health endpoint.')
output healthUrl string = 'https://${functionApp.outputs.defaultHostName}/api/health'

@description('Name of the storage account.')
output storageAccountName string = storage.outputs.name

@description('Name of the queue the subscription\'s resource-change events are delivered to.')
output eventQueueName string = storage.outputs.eventQueueName

@description('Name of the Event Grid custom topic that receives notifications.')
output notificationTopicName string = notifications.outputs.name

@description('Endpoint of the notification topic (publishing needs an Entra ID token and EventGrid Data Sender).')
output notificationTopicEndpoint string = notifications.outputs.endpoint

@description('Name of the subscription\'s Event Grid system topic.')
output systemTopicName string = systemTopicName

@description('Resource group of the subscription\'s Event Grid system topic.')
output systemTopicResourceGroup string = systemTopicResourceGroup

@description('Resource id of the custom scanner role definition.')
output scannerRoleDefinitionId string = scannerRole.outputs.roleDefinitionId

@description('Resource id of the custom remediator role definition; empty when remediation is off.')
output remediatorRoleDefinitionId string = enableRemediation ? remediatorRole!.outputs.roleDefinitionId : ''
