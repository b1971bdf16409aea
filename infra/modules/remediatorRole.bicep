// Remediation's permissions, apart from the scanner's: Azure's patch installation and the restarts a remediation plan
// may allow, as a second custom role assigned to the app's identity. main.bicep deploys this module only when
// enableRemediation is true, so a deployment without remediation grants nothing that can change a machine. No data
// actions and no wildcards; the operations these start are polled with the scanner role's locations/operations/read.
targetScope = 'subscription'

@description('Principal id of the function app\'s system-assigned identity.')
param principalId string

resource remediatorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'compliance-remediator')
  properties: {
    roleName: 'Compliance remediator (${subscription().subscriptionId})'
    description: 'Lets the Compliance app install Security and Critical updates with installPatches and restart VMs and scale-set VMs, for remediation plans an operator approved.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.Compute/virtualMachines/installPatches/action'
          'Microsoft.Compute/virtualMachines/restart/action'
          'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/restart/action'
        ]
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

resource remediatorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, remediatorRole.id)
  properties: {
    roleDefinitionId: remediatorRole.id
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Compliance remediator: the Compliance function app\'s system-assigned identity, for approved remediation plans.'
  }
}

@description('Resource id of the custom role definition.')
output roleDefinitionId string = remediatorRole.id

@description('Resource id of the role assignment.')
output roleAssignmentId string = remediatorAssignment.id
