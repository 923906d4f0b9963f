// The app's secrets in Key Vault: the SendGrid key, the link signing key, the office's program key
// and the first administrator's password. The function app reads them through Key Vault references
// with a user-assigned identity of its own that may only read secrets (Key Vault Secrets User),
// granted here — before the app exists, so the references resolve at its first start. No secret
// leaves this module: the outputs are the references, which name a secret but do not hold it.

param name string
param location string
param tags object = {}

@description('Whether a SendGrid key was given (without one, mail is recorded but not sent, and no secret is made).')
param sendGridConfigured bool
@secure()
param sendGridApiKey string
@secure()
param linksSigningKey string
@secure()
param officeApiKey string
@secure()
param firstAdministratorPassword string

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${name}-secrets'
  location: location
  tags: tags
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('kv${uniqueString(resourceGroup().id, name)}', 24)
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    // Access by Azure roles (below), not by access policies.
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource sendGrid 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (sendGridConfigured) {
  parent: vault
  name: 'sendgrid-api-key'
  properties: { value: sendGridApiKey }
}

resource links 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'links-signing-key'
  properties: { value: linksSigningKey }
}

resource office 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'office-api-key'
  properties: { value: officeApiKey }
}

resource administrator 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'first-administrator-password'
  properties: { value: firstAdministratorPassword }
}

resource readSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

output vaultName string = vault.name
output identityId string = identity.id
// App setting values: references to the secrets' current versions, resolved by the platform.
output sendGridSetting string = sendGridConfigured ? '@Microsoft.KeyVault(SecretUri=${sendGrid!.properties.secretUri})' : ''
output linksSetting string = '@Microsoft.KeyVault(SecretUri=${links.properties.secretUri})'
output officeSetting string = '@Microsoft.KeyVault(SecretUri=${office.properties.secretUri})'
output administratorSetting string = '@Microsoft.KeyVault(SecretUri=${administrator.properties.secretUri})'
