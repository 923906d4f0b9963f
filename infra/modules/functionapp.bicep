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
param publicBaseUrl string
param firstAdministrator string

@description('The identity that reads Key Vault references (Key Vault Secrets User on the vault).')
param referenceIdentityId string

// Key Vault references (modules/keyvault.bicep): '@Microsoft.KeyVault(SecretUri=…)', never the secrets themselves.
param sendGridSetting string
param linksSetting string
param officeSetting string
param administratorSetting string

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
  // System-assigned: storage and telemetry (modules/roles.bicep); user-assigned: Key Vault references.
  identity: {
    type: 'SystemAssigned, UserAssigned'
    userAssignedIdentities: { '${referenceIdentityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: referenceIdentityId
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
        // Secrets only as Key Vault references.
        { name: 'SendGrid__ApiKey', value: sendGridSetting }
        { name: 'SendGrid__Host', value: sendGridHost }
        { name: 'Email__From', value: emailFrom }
        { name: 'Email__Office', value: emailOffice }
        { name: 'Office__ApiKey', value: officeSetting }
        { name: 'Office__FirstAdministrator', value: firstAdministrator }
        { name: 'Office__FirstAdministratorPassword', value: administratorSetting }
        { name: 'Links__SigningKey', value: linksSetting }
        { name: 'Links__BaseUrl', value: publicBaseUrl }
        // LocalTriggers__Enabled is never set here: in Azure the Functions host fires the triggers.
      ]
    }
  }
}

output name string = app.name
output principalId string = app.identity.principalId
output defaultHostName string = app.properties.defaultHostName
