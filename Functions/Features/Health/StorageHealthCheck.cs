using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Health;

/// <summary>
/// Storage answers when both the table and the blob service answer a cheap read. The probe has
/// its own clients with no retries and a one-second budget (<see cref="StorageClientPolicy.ForProbe{T}"/>),
/// so a dead storage account turns the health endpoint to 503 within a second instead of after the data clients' retries.
/// </summary>
internal sealed class StorageHealthCheck(StorageConnection connection) : IHealthCheck
{
    private static readonly TimeSpan Budget = StorageClientPolicy.ProbeBudget;
    private readonly TableServiceClient _tables = connection.CreateTableServiceClient(StorageClientPolicy.ForProbe(new TableClientOptions()));
    private readonly BlobServiceClient _blobs = connection.CreateBlobServiceClient(StorageClientPolicy.ForProbe(new BlobClientOptions()));

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Budget);
        try
        {
            await Task.WhenAll(ProbeTablesAsync(timeout.Token), ProbeBlobsAsync(timeout.Token));
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(timeout.IsCancellationRequested ? "Storage did not answer within a second." : "Storage refused the request.", ex);
        }
    }

    private async Task ProbeTablesAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in _tables.QueryAsync(maxPerPage: 1, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
        {
            break;
        }
    }

    private async Task ProbeBlobsAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in _blobs.GetBlobContainersAsync(cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
        {
            break;
        }
    }
}
