// Lets the subscription system topic’s identity put resource-change events on the app’s event queue: the event
// subscription delivers "with resource identity" because shared keys are off on the account. Scoped to that one queue,
// so the topic can send nowhere else. A module of its own for the same reason as deadLetterAccess.bicep: the system
// topic may live in another resource group than the storage account, and a role assignment has to be deployed at the
// scope of the resource it is on.

@description('Name of the storage account that holds the queue (in the resource group this module is deployed to).')
param storageAccountName string

@description('Name of the queue Event Grid delivers to (created by storage.bicep).')
param queueName string

@description('Principal id of the system topic\'s system-assigned identity.')
param principalId string

// Built-in "Storage Queue Data Message Sender": add messages to a queue, nothing else.
var storageQueueDataMessageSender = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource queue 'queues' existing = {
      name: queueName
    }
  }
}

resource queueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::queue.id, principalId, storageQueueDataMessageSender)
  scope: storage::queueService::queue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataMessageSender)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Compliance: the subscription Event Grid system topic delivers resource-change events to this queue.'
  }
}

@description('Resource id of the role assignment.')
output roleAssignmentId string = queueSender.id
