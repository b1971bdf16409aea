// The subscription’s Event Grid system topic (Azure Resource Manager events of the whole subscription) and the event
// subscription that delivers VM, scale-set VM and Cloud Service changes to the ResourceChanged function.
//
// Deployed to the resource group that holds the system topic. Only one system topic may exist per subscription
// source, so this either creates it (createSystemTopic, tagged createdBy: compliance so remove.sh knows it may delete it)
// or uses the existing one by name; an existing one must have a system-assigned identity (deploy.sh turns it on).
//
// The event subscription is a separate, later step (deployEventSubscription): Event Grid validates an AzureFunction
// destination when the subscription is created and refuses it ("Destination endpoint not found") until the function
// app’s code, with its eventGridTrigger function ResourceChanged, is deployed.

@description('Name of the subscription\'s Event Grid system topic, in the resource group this module is deployed to.')
param systemTopicName string

@description('True: create the system topic. False: use the existing system topic of that name (it must have a system-assigned identity).')
param createSystemTopic bool

@description('True: create the event subscription to the ResourceChanged function (only once the app\'s code is deployed).')
param deployEventSubscription bool

@description('Resource id of the function app that hosts ResourceChanged.')
param functionAppId string

@description('Resource id of the storage account that receives dead-lettered events.')
param storageAccountId string

@description('Blob container of that storage account that receives dead-lettered events.')
param deadLetterContainer string = 'deadletters'

// "/subscriptions/{id}/resourceGroups/{group}/providers/{namespace}/{type}/{name}" split on "/":
// [2] subscription id, [4] resource group, [8] name.
var functionAppIdParts = split(functionAppId, '/')
var storageAccountIdParts = split(storageAccountId, '/')
// Named after the app, so that two deployments in one subscription (which share its one system topic) do not collide.
var eventSubscriptionName = '${functionAppIdParts[8]}-changes'

resource createdTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = if (createSystemTopic) {
  name: systemTopicName
  location: 'global'
  tags: {
    createdBy: 'compliance'
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
  }
}

// One handle on the topic whether it was created above or already existed. Everything that reads it through this
// handle also depends on createdTopic (explicit dependsOn below), so when the topic is created here it exists before
// it is read; when createSystemTopic is false that dependency is simply skipped.
resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

// The function app lives in the app’s resource group, which need not be this one.
resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppIdParts[8]
  scope: resourceGroup(functionAppIdParts[2], functionAppIdParts[4])
}

// The topic’s identity writes dead letters to the app’s storage account, which lives in the app’s resource group: a
// role assignment must be deployed at the scope of the storage account, hence a module scoped to that resource group.
module deadLetterAccess 'deadLetterAccess.bicep' = {
  name: 'compliance-deadletter-access'
  scope: resourceGroup(storageAccountIdParts[2], storageAccountIdParts[4])
  params: {
    storageAccountName: storageAccountIdParts[8]
    principalId: topic.identity.principalId
  }
  dependsOn: [
    createdTopic
  ]
}

resource eventSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (deployEventSubscription) {
  parent: topic
  name: eventSubscriptionName
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${functionApp.id}/functions/ResourceChanged'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Resources.ResourceWriteSuccess'
        'Microsoft.Resources.ResourceActionSuccess'
        'Microsoft.Resources.ResourceDeleteSuccess'
      ]
      enableAdvancedFilteringOnArrays: true
      // Only the operations that can change a machine’s mitigation state (or remove the machine). Our own Run Command
      // calls (runCommand/action) are deliberately not listed, so the app’s checks do not trigger more checks.
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'data.operationName'
          values: [
            'Microsoft.Compute/virtualMachines/write'
            'Microsoft.Compute/virtualMachines/start/action'
            'Microsoft.Compute/virtualMachines/restart/action'
            'Microsoft.Compute/virtualMachines/redeploy/action'
            'Microsoft.Compute/virtualMachines/delete'
            'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write'
            'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/start/action'
            'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/restart/action'
            'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/redeploy/action'
            'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/delete'
            'Microsoft.Compute/cloudServices/write'
            'Microsoft.Compute/cloudServices/start/action'
            'Microsoft.Compute/cloudServices/restart/action'
            'Microsoft.Compute/cloudServices/redeploy/action'
            'Microsoft.Compute/cloudServices/delete'
          ]
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storageAccountId
          blobContainerName: deadLetterContainer
        }
      }
    }
  }
  dependsOn: [
    createdTopic
    deadLetterAccess
  ]
}

@description('Resource id of the system topic.')
output systemTopicId string = topic.id

@description('Name of the event subscription, empty when it was not deployed.')
output eventSubscriptionName string = deployEventSubscription ? eventSubscriptionName : ''
