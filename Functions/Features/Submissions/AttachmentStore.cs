using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Submissions;

/// <summary>
/// Files units attach to a submission, in container <c>attachments</c> as
/// <c>{directiveId}/{unitId}/{taskId}/{random}</c>: the server names every blob; the person's file
/// name is kept only as metadata, reduced to safe characters. Each file streams from the form to its blob.
/// </summary>
public sealed class AttachmentStore(BlobServiceClient blobs, StorageNames names)
{
    public const string Container = SubmissionFiles.Container;

    /// <summary>The blob metadata that keeps the person's file name (<see cref="SubmissionFiles.SafeName"/>: a metadata value is an HTTP header). <see cref="StoredFiles"/> reads it.</summary>
    public const string FileNameMetadata = "filename";

    private BlobContainerClient Blobs => blobs.GetBlobContainerClient(names.Container(Container));

    public async Task<IReadOnlyList<string>> StoreAsync(UnitTask target, IReadOnlyList<IFormFile> files, CancellationToken cancellationToken)
    {
        var stored = new List<string>(files.Count);
        foreach (var file in files)
        {
            var name = $"{target.Directive.Id}/{target.UnitId}/{target.Task.Id}/{Guid.NewGuid():N}";
            await using var content = file.OpenReadStream();
            await Blobs.GetBlobClient(name).UploadAsync(
                content,
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
                    Metadata = new Dictionary<string, string> { [FileNameMetadata] = SubmissionFiles.SafeName(file.FileName) },
                },
                cancellationToken);
            stored.Add(name);
        }

        return stored;
    }

    public async Task DeleteAsync(IEnumerable<string> attachments, CancellationToken cancellationToken)
    {
        foreach (var name in attachments)
        {
            await Blobs.DeleteBlobIfExistsAsync(name, cancellationToken: cancellationToken);
        }
    }
}
