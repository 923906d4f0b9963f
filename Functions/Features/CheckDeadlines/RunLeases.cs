using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// Blob leases in the <c>locks</c> container that let one run at a time do a job — decide the
/// ladders, drain the outbox — whatever the number of instances or overlapping timer runs. A lease
/// lasts <see cref="EscalationOptions.SenderLeaseSeconds"/> (15–60 s, as blob leases allow) and is
/// renewed at half-time while held; a run that dies holding one keeps others from that job for at
/// most that long. A run that finds the lease held does not do the job: the holder is doing it.
/// </summary>
public sealed class RunLeases(BlobServiceClient blobs, StorageNames names, TimeProvider time, IOptions<EscalationOptions> options)
{
    public const string LocksContainer = "locks";

    private readonly TimeSpan _duration = TimeSpan.FromSeconds(options.Value.SenderLeaseSeconds);

    /// <summary>The lease named <paramref name="name"/>, held until disposed; none when another run holds it.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        var blob = blobs.GetBlobContainerClient(names.Container(LocksContainer)).GetBlobClient(name);
        if (!await blob.ExistsAsync(cancellationToken))
        {
            try
            {
                await blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another run created it first.
            }
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(_duration, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }

        return new Held(lease, time, _duration / 2);
    }

    private sealed class Held : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly ITimer _renewal;

        public Held(BlobLeaseClient lease, TimeProvider time, TimeSpan period)
        {
            _lease = lease;
            _renewal = time.CreateTimer(_ => _ = RenewAsync(), null, period, period);
        }

        public async ValueTask DisposeAsync()
        {
            await _renewal.DisposeAsync();
            await _lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }

        private async Task RenewAsync()
        {
            try
            {
                await _lease.RenewAsync();
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or OperationCanceledException or AggregateException)
            {
                // Released meanwhile, lost, or storage away: the job's own writes are conditional, and its next call fails if storage is gone.
            }
        }
    }
}
