using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Submissions;

/// <summary>
/// The files kept with submissions, for the office: those attached to reports (container
/// <c>attachments</c>, written by <see cref="AttachmentStore"/>, the person's name in metadata) and
/// accepted statistics spreadsheets (container <c>uploads</c>, named by the server). A unit's files
/// under a directive are two listings by prefix, one per container.
/// </summary>
public sealed class StoredFiles(BlobServiceClient blobs, StorageNames names) : IStoredFiles
{
    private const string UploadsPrefix = Upload.Container + "/";

    public async Task<IReadOnlyDictionary<string, StoredFile>> ListAsync(DirectiveId directive, UnitId unit, CancellationToken cancellationToken)
    {
        var prefix = $"{directive}/{unit}/";
        var files = new Dictionary<string, StoredFile>(StringComparer.Ordinal);
        await foreach (var blob in Container(AttachmentStore.Container).GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken))
        {
            files[blob.Name] = new StoredFile(NameOf(blob.Metadata), blob.Properties.ContentLength ?? 0);
        }

        await foreach (var blob in Container(Upload.Container).GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            files[UploadsPrefix + blob.Name] = new StoredFile(UploadName(unit), blob.Properties.ContentLength ?? 0);
        }

        return files;
    }

    public async Task<FileDownload?> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var upload = path.StartsWith(UploadsPrefix, StringComparison.Ordinal);
        var blob = upload ? Container(Upload.Container).GetBlobClient(path[UploadsPrefix.Length..]) : Container(AttachmentStore.Container).GetBlobClient(path);
        try
        {
            var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
            var details = download.Value.Details;
            var name = upload && Upload.ParseBlobName(path[UploadsPrefix.Length..]) is { } parsed ? UploadName(parsed.Unit) : NameOf(details.Metadata);
            return new FileDownload(name, details.ContentLength, download.Value.Content);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private BlobContainerClient Container(string logicalName) => blobs.GetBlobContainerClient(names.Container(logicalName));

    /// <summary>The name kept in metadata, made safe again on the way out (a blob written by an older build, or by hand, may hold anything).</summary>
    private static string NameOf(IDictionary<string, string>? metadata) =>
        SubmissionFiles.SafeName(metadata?.TryGetValue(AttachmentStore.FileNameMetadata, out var name) == true ? name : null);

    private static string UploadName(UnitId unit) => $"bao-cao-thong-ke-{unit.Value}.xlsx";
}
