// Storage for the Functions host (AzureWebJobsStorage), the app’s tables, the queue that fans a scan out, the queue
// Event Grid delivers resource changes to, the Flex Consumption deployment package and Event Grid’s dead letters.
// Shared keys are off: every client (the host, the app, the Flex deployment service, Event Grid) authenticates with a
// managed identity and an RBAC data role.

@description('Name of the storage account (3-24 lower-case letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param storageAccountName string

@description('Azure region of the storage account.')
param location string

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string = 'app-package'

@description('Blob container Event Grid writes undeliverable events to.')
param deadLetterContainerName string = 'deadletters'

@description('Queue the subscription\'s Event Grid system topic delivers resource changes to (Compliance__Events__QueueName); at most 56 characters, so that its poison queue (<name>-poison) is a valid queue name too.')
@minLength(3)
@maxLength(56)
param eventQueueName string = 'resource-changes'

@description('Queue an accepted resource event\'s re-check waits in (Compliance__Events__RecheckQueueName); at most 56 characters, as above.')
@minLength(3)
@maxLength(56)
param recheckQueueName string = 'resource-rechecks'

@description('Queue the steps of an approved remediation plan wait in (Compliance__Remediation__QueueName); at most 56 characters, as above.')
@minLength(3)
@maxLength(56)
param remediationQueueName string = 'remediations'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deadLetterContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The timer and POST /api/scans write one message per batch here; CheckMachines consumes them (its queue trigger binds
// %Compliance__Queue__QueueName%, connection AzureWebJobsStorage).
resource batchQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: 'compliance-batches'
}

// The host moves a message here after host.json’s maxDequeueCount (5) failed attempts. The host would create it on
// demand; declaring it makes it visible (and monitorable) from the first deployment.
resource poisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: 'compliance-batches-poison'
}

// Event Grid writes one resource-change event per message here, with the system topic’s identity; ResourceChanged
// consumes them (its queue trigger binds %Compliance__Events__QueueName%). Declared here so the queue exists before the
// event subscription that delivers to it, and its poison queue so that failures show from the first deployment.
resource eventQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: eventQueueName
}

resource eventPoisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: '${eventQueueName}-poison'
}

// A resource event only schedules a re-check: one message per resource, visible after Compliance__Events__RecheckDelay;
// RecheckResource consumes them (its queue trigger binds %Compliance__Events__RecheckQueueName%) and asks ARM. The app
// reaches it with the Storage Queue Data Contributor role it holds on the account, as its other queues.
resource recheckQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: recheckQueueName
}

resource recheckPoisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: '${recheckQueueName}-poison'
}

// The steps of approved remediation plans: RunRemediation consumes them (%Compliance__Remediation__QueueName%). Made
// whether remediation is on or off, so turning it on later is a setting, not a new deployment of storage; while it is
// off nothing writes to it and the consumer runs nothing.
resource remediationQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: remediationQueueName
}

resource remediationPoisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: '${remediationQueueName}-poison'
}

@description('Name of the storage account.')
output name string = storage.name

@description('Resource id of the storage account.')
output id string = storage.id

@description('Name of the deployment package container.')
output deploymentContainerName string = deploymentContainer.name

@description('Name of the dead-letter container.')
output deadLetterContainerName string = deadLetterContainer.name

@description('Name of the scan batch queue.')
output batchQueueName string = batchQueue.name

@description('Name of the poison queue of the batch queue.')
output poisonQueueName string = poisonQueue.name

@description('Name of the queue Event Grid delivers resource changes to.')
output eventQueueName string = eventQueue.name

@description('Name of the poison queue of the resource-change queue.')
output eventPoisonQueueName string = eventPoisonQueue.name

@description('Name of the queue resource re-checks wait in.')
output recheckQueueName string = recheckQueue.name

@description('Name of the queue the steps of approved remediation plans wait in.')
output remediationQueueName string = remediationQueue.name
