// Lets the subscription system topic’s identity write dead-lettered events to the app’s storage account (shared keys
// are off there, so the event subscription dead-letters "with resource identity"). A module of its own because the
// system topic may live in another resource group than the storage account, and a role assignment has to be deployed
// at the scope of the resource it is on.

@description('Name of the storage account that receives dead-lettered events (in the resource group this module is deployed to).')
param storageAccountName string

@description('Principal id of the system topic\'s system-assigned identity.')
param principalId string

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Compliance: the subscription Event Grid system topic dead-letters undeliverable events here.'
  }
}

@description('Resource id of the role assignment.')
output roleAssignmentId string = deadLetterWriter.id
