// The Event Grid custom topic the app publishes its notifications to (CloudEvents 1.0, see
// Compliance__Notifications__Source). Local auth (access keys, SAS) is disabled: the app publishes with its managed
// identity and the "EventGrid Data Sender" role on this topic. That role assignment lives in functionApp.bicep, because
// the app’s identity only exists once the app does and the app needs this topic’s endpoint first.

@description('Name of the Event Grid custom topic.')
@minLength(3)
@maxLength(50)
param topicName string

@description('Azure region of the topic.')
param location string

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: topicName
  location: location
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

@description('Name of the custom topic.')
output name string = topic.name

@description('Resource id of the custom topic.')
output id string = topic.id

@description('Publishing endpoint of the custom topic (not a secret: publishing needs an Entra ID token).')
output endpoint string = topic.properties.endpoint
