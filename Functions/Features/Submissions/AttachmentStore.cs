using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ServerlessWorkflow.Domain.Common;
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
    public const string Container = "attachments";

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
                    Metadata = new Dictionary<string, string> { ["filename"] = SafeFileName(file.FileName) },
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

    /// <summary>ASCII letters, digits, '.', '-', '_' only (blob metadata is an HTTP header), at most 100 characters.</summary>
    private static string SafeFileName(string fileName)
    {
        var folded = Text.Fold(Path.GetFileName(fileName));
        var safe = new string(folded.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return safe.Length == 0 ? "tep" : safe[..Math.Min(100, safe.Length)];
    }
}
