// The Flex Consumption plan and the function app running the custom handler.
//
// On Flex Consumption the runtime is chosen in functionAppConfig.runtime ('custom'), not through
// the FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION app settings that other plans use
// (Flex rejects them); 'custom' is what architecture.md calls FUNCTIONS_WORKER_RUNTIME=Custom.

param name string
param location string
param tags object = {}
param storageAccountName string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainerName string
param appInsightsConnectionString string
param maximumInstanceCount int
param instanceMemoryMB int
param emailFrom string
param emailOffice string
param sendGridHost string
@secure()
param sendGridApiKey string
@secure()
param officeApiKey string
@secure()
param linksSigningKey string
param publicBaseUrl string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        // Storage through the app's managed identity: no account key anywhere.
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: blobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: queueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: tableEndpoint }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
        { name: 'SendGrid__ApiKey', value: sendGridApiKey }
        { name: 'SendGrid__Host', value: sendGridHost }
        { name: 'Email__From', value: emailFrom }
        { name: 'Email__Office', value: emailOffice }
        { name: 'Office__ApiKey', value: officeApiKey }
        { name: 'Links__SigningKey', value: linksSigningKey }
        { name: 'Links__BaseUrl', value: publicBaseUrl }
        // LocalTriggers__Enabled is never set here: in Azure the Functions host fires the triggers.
      ]
    }
  }
}

output name string = app.name
output principalId string = app.identity.principalId
output defaultHostName string = app.properties.defaultHostName
