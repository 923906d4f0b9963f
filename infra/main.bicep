// The follow-up system on Azure: a Flex Consumption function app running the C# custom handler,
// its storage account reached with managed identity, its secrets in Key Vault (read through Key
// Vault references), Application Insights, and (second run) the Event Grid subscription that feeds
// the ImportStatistics blob trigger. See infra/README.md.

targetScope = 'resourceGroup'

@description('Base name of the app (letters, digits, hyphens).')
@minLength(3)
@maxLength(40)
param appName string

param location string = resourceGroup().location

@description('Most instances Flex Consumption may scale to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance.')
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int = 2048

@description('Sender address of the emails.')
param emailFrom string

@description('The office\'s address: digests, copies of step 2, fallback for broken chains.')
param emailOffice string

@description('SendGrid API base URL.')
param sendGridHost string = 'https://api.sendgrid.com'

@secure()
@description('SendGrid API key; empty records mail without sending it.')
param sendGridApiKey string = ''

@secure()
@description('The office\'s key for office endpoints and the dashboard login.')
param officeApiKey string

@secure()
@description('Key that signs unit links (at least 16 bytes).')
param linksSigningKey string

@description('Account name of the first administrator, created at its first sign-in.')
param firstAdministrator string = 'quantri'

@secure()
@description('The first administrator\'s password (at least 10 characters); change it after the first sign-in.')
param firstAdministratorPassword string

@description('Public base URL written into unit links (emails from the timer have no request to take it from).')
param publicBaseUrl string = 'https://${appName}.azurewebsites.net'

@description('Second run, once the package is deployed: subscribe ImportStatistics to blob events.')
param deployBlobEventSubscription bool = false

var tags = { app: appName }
var storageAccountName = take('st${toLower(replace(appName, '-', ''))}${uniqueString(resourceGroup().id)}', 24)
var deploymentContainerName = 'deployment'

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: appName
    location: location
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: appName
    location: location
    tags: tags
    sendGridConfigured: !empty(sendGridApiKey)
    sendGridApiKey: sendGridApiKey
    linksSigningKey: linksSigningKey
    officeApiKey: officeApiKey
    firstAdministratorPassword: firstAdministratorPassword
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: appName
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    emailFrom: emailFrom
    emailOffice: emailOffice
    sendGridHost: sendGridHost
    publicBaseUrl: publicBaseUrl
    firstAdministrator: firstAdministrator
    referenceIdentityId: keyVault.outputs.identityId
    sendGridSetting: keyVault.outputs.sendGridSetting
    linksSetting: keyVault.outputs.linksSetting
    officeSetting: keyVault.outputs.officeSetting
    administratorSetting: keyVault.outputs.administratorSetting
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.name
    appInsightsName: monitoring.outputs.name
  }
}

module blobEvents 'modules/blobEvents.bicep' = if (deployBlobEventSubscription) {
  name: 'blob-events'
  params: {
    storageAccountName: storage.outputs.name
    functionAppName: functionApp.outputs.name
    location: location
    tags: tags
  }
}

output functionAppName string = functionApp.outputs.name
output defaultHostName string = functionApp.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
output keyVaultName string = keyVault.outputs.vaultName
