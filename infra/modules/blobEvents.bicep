// The Event Grid source of the ImportStatistics blob trigger (function.json: "source": "EventGrid",
// the only blob trigger source on Flex Consumption): BlobCreated events under uploads/ are pushed to
// the Functions host's blobs extension webhook.
//
// The webhook needs the app's 'blobs_extension' system key, which exists only once the code has
// been deployed and the host has started; main.bicep therefore deploys this module on a second run
// (deployBlobEventSubscription=true), after scripts/package.sh's package is published.

param storageAccountName string
param functionAppName string
param location string
param tags object = {}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

// The host keys API (Microsoft.Web/sites/host) is real but has no published Bicep types.
#disable-next-line use-recognized-resource-type
var blobsExtensionKey = listKeys(resourceId('Microsoft.Web/sites/host', functionAppName, 'default'), '2023-12-01').systemKeys.blobs_extension

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: 'evgt-${storageAccountName}'
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = {
  parent: topic
  name: 'import-statistics'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionAppName}.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.ImportStatistics&code=${blobsExtensionKey}'
      }
    }
    filter: {
      includedEventTypes: [ 'Microsoft.Storage.BlobCreated' ]
      subjectBeginsWith: '/blobServices/default/containers/uploads/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}
