using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using ServerlessWorkflow.Functions.Hosting.Invocations;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>
/// ImportStatistics invoked as the Functions host does on its blob trigger: the blob's content read
/// from storage and sent, base64, with the trigger's metadata. Tests call it where the host would fire.
/// </summary>
public static class StatisticsImports
{
    /// <summary>The uploads container of a hosted handler whose storage names start with <paramref name="prefix"/>.</summary>
    public static BlobContainerClient Uploads(string connectionString, string prefix) =>
        new BlobServiceClient(connectionString).GetBlobContainerClient(prefix + "uploads");

    /// <summary>The invocation the host sends for blob <paramref name="blobName"/> of <paramref name="uploads"/>.</summary>
    public static async Task<JsonObject> PayloadAsync(BlobContainerClient uploads, string blobName, DateTimeOffset? at = null)
    {
        var blob = uploads.GetBlobClient(blobName);
        var content = (await blob.DownloadContentAsync(TestContext.Current.CancellationToken)).Value.Content.ToArray();
        return InvocationPayloads.ForBlob(
            "ImportStatistics", "blob", $"uploads/{blobName}", new Dictionary<string, string> { ["name"] = blobName }, blob.Uri, new BlobTriggerProperties(null, content.Length, null, null), content, at ?? DateTimeOffset.UtcNow);
    }

    /// <summary>Invokes ImportStatistics for <paramref name="blobName"/>; the handler must answer as the host counts a success.</summary>
    public static async Task ImportAsync(HttpClient handler, BlobContainerClient uploads, string blobName, DateTimeOffset? at = null)
    {
        using var response = await handler.PostAsJsonAsync("ImportStatistics", await PayloadAsync(uploads, blobName, at), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Invokes ImportStatistics for every blob of <paramref name="uploads"/> (one already imported changes nothing).</summary>
    public static async Task ImportAllAsync(HttpClient handler, BlobContainerClient uploads, DateTimeOffset? at = null)
    {
        await foreach (var item in uploads.GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            await ImportAsync(handler, uploads, item.Name, at);
        }
    }
}
