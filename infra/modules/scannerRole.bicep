// The least privilege the scanner needs across the subscription, as a custom role assigned to the app’s identity:
// read the subscription, list and read VMs, scale-set VMs and Cloud Services (with their instance views, guest OS
// versions and long-running operation status), and run the check script with Action Run Command. No data actions and no
// wildcards; no write, delete or extension permission on the machines (Run Command is the only action).
targetScope = 'subscription'

@description('Principal id of the function app\'s system-assigned identity.')
param principalId string

resource scannerRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'compliance-scanner')
  properties: {
    roleName: 'Compliance scanner (${subscription().subscriptionId})'
    description: 'Lets the Compliance app read VMs, scale-set VMs and Cloud Services and run its Spectre/Meltdown check with Run Command.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.Resources/subscriptions/read'
          'Microsoft.Compute/virtualMachines/read'
          'Microsoft.Compute/virtualMachines/instanceView/read'
          'Microsoft.Compute/virtualMachines/runCommand/action'
          'Microsoft.Compute/virtualMachineScaleSets/read'
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read'
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/instanceView/read'
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action'
          'Microsoft.Compute/cloudServices/read'
          'Microsoft.Compute/cloudServices/roleInstances/read'
          'Microsoft.Compute/locations/cloudServiceOsVersions/read'
          'Microsoft.Compute/locations/operations/read'
        ]
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

resource scannerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, scannerRole.id)
  properties: {
    roleDefinitionId: scannerRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Compliance scanner: the Compliance function app\'s system-assigned identity.'
  }
}

@description('Resource id of the custom role definition.')
output roleDefinitionId string = scannerRole.id

@description('Resource id of the role assignment.')
output roleAssignmentId string = scannerAssignment.id
