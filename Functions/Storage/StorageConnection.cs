using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace ServerlessWorkflow.Functions.Storage;

/// <summary>
/// Where the app's storage account is, read the way the Functions host reads <c>AzureWebJobsStorage</c>:
/// either one connection string (Azurite, or a key-based account), or — for managed identity —
/// the section <c>AzureWebJobsStorage__accountName</c> (or explicit <c>__blobServiceUri</c> and
/// <c>__tableServiceUri</c>) with an optional <c>__clientId</c> for a user-assigned identity.
/// </summary>
public sealed class StorageConnection
{
    /// <summary>The connection string used when nothing is configured: the local emulator.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    private StorageConnection(string? connectionString, Uri? blobServiceUri, Uri? tableServiceUri, TokenCredential? credential)
    {
        ConnectionString = connectionString;
        BlobServiceUri = blobServiceUri;
        TableServiceUri = tableServiceUri;
        Credential = credential;
    }

    public string? ConnectionString { get; }

    public Uri? BlobServiceUri { get; }

    public Uri? TableServiceUri { get; }

    public TokenCredential? Credential { get; }

    /// <summary>Reads the setting named <paramref name="name"/> from configuration.</summary>
    public static StorageConnection FromConfiguration(IConfiguration configuration, string name = "AzureWebJobsStorage")
    {
        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageConnection(connectionString, null, null, null);
        }

        var section = configuration.GetSection(name);
        var accountName = section["accountName"];
        var blobUri = section["blobServiceUri"] is { Length: > 0 } b ? new Uri(b)
            : accountName is { Length: > 0 } ? new Uri($"https://{accountName}.blob.core.windows.net") : null;
        var tableUri = section["tableServiceUri"] is { Length: > 0 } t ? new Uri(t)
            : accountName is { Length: > 0 } ? new Uri($"https://{accountName}.table.core.windows.net") : null;

        if (blobUri is null || tableUri is null)
        {
            return new StorageConnection(DevelopmentStorage, null, null, null);
        }

        var clientId = section["clientId"];
        TokenCredential credential = string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrEmpty(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
        return new StorageConnection(null, blobUri, tableUri, credential);
    }

    public TableServiceClient CreateTableServiceClient(TableClientOptions? options = null) =>
        ConnectionString is not null
            ? new TableServiceClient(ConnectionString, options)
            : new TableServiceClient(TableServiceUri!, Credential!, options);

    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions? options = null) =>
        ConnectionString is not null
            ? new BlobServiceClient(ConnectionString, options)
            : new BlobServiceClient(BlobServiceUri!, Credential!, options);
}
