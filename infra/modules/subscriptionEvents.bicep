// The subscription’s Event Grid system topic (Azure Resource Manager events of the whole subscription) and the event
// subscription that puts VM, scale-set VM and Cloud Service changes on the app’s event queue, where the ResourceChanged
// function picks them up. Nothing of the app accepts events from the internet: Event Grid writes to the storage queue
// with the system topic’s managed identity.
//
// Deployed to the resource group that holds the system topic. Only one system topic may exist per subscription
// source, so this either creates it (createSystemTopic, tagged createdBy: compliance so remove.sh knows it may delete it)
// or uses the existing one by name; an existing one must have a system-assigned identity (deploy.sh turns it on).
//
// A Storage Queue destination is not validated against the app’s code, so the event subscription is deployed with
// everything else, before the code; events that come before the code are kept on the queue.

@description('Name of the subscription\'s Event Grid system topic, in the resource group this module is deployed to.')
param systemTopicName string

@description('True: create the system topic. False: use the existing system topic of that name (it must have a system-assigned identity).')
param createSystemTopic bool

@description('Name of the event subscription; named after the app, so that two deployments in one subscription (which share its one system topic) do not collide.')
@minLength(3)
@maxLength(64)
param eventSubscriptionName string

@description('Resource id of the storage account that holds the event queue and receives dead-lettered events.')
param storageAccountId string

@description('Queue of that storage account the events are delivered to (created by storage.bicep).')
param queueName string = 'resource-changes'

@description('Blob container of that storage account that receives dead-lettered events.')
param deadLetterContainer string = 'deadletters'

// "/subscriptions/{id}/resourceGroups/{group}/providers/{namespace}/{type}/{name}" split on "/":
// [2] subscription id, [4] resource group, [8] name.
var storageAccountIdParts = split(storageAccountId, '/')

// A week, the storage queue’s own default: by then the scheduled scans (every 6 hours by default) have checked every
// machine again, so an older change is stale; -1 (never expire) would only let a stopped app’s backlog grow for ever.
var queueMessageTimeToLiveInSeconds = 7 * 24 * 60 * 60

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

// Likewise for delivery: the topic’s identity may send to the event queue.
module eventQueueAccess 'eventQueueAccess.bicep' = {
  name: 'compliance-event-queue-access'
  scope: resourceGroup(storageAccountIdParts[2], storageAccountIdParts[4])
  params: {
    storageAccountName: storageAccountIdParts[8]
    queueName: queueName
    principalId: topic.identity.principalId
  }
  dependsOn: [
    createdTopic
  ]
}

resource eventSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: eventSubscriptionName
  properties: {
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storageAccountId
          queueName: queueName
          queueMessageTimeToLiveInSeconds: queueMessageTimeToLiveInSeconds
        }
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
      // A coarse cut: operations on VMs, scale sets (their VMs’ operations start the same way) and Cloud Services, by
      // prefix, because Event Grid takes at most 25 advanced-filter values in all. What calls for a check is decided
      // by the app, from one table (ResourceChangeRules). Run Command events pass too: one made by an operator can change
      // a guest, and only the app can tell its own calls (the caller’s object id in the event) from someone else’s.
      advancedFilters: [
        {
          operatorType: 'StringBeginsWith'
          key: 'data.operationName'
          values: [
            'Microsoft.Compute/virtualMachines/'
            'Microsoft.Compute/virtualMachineScaleSets/'
            'Microsoft.Compute/cloudServices/'
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
    eventQueueAccess
  ]
}

@description('Resource id of the system topic.')
output systemTopicId string = topic.id

@description('Name of the event subscription.')
output eventSubscriptionName string = eventSubscription.name
