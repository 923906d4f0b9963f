using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Hosting.LocalTriggers;

/// <summary>What became of one blob version for one function.</summary>
public enum ReceiptState
{
    /// <summary>The function answered 2xx for this version.</summary>
    Done,

    /// <summary>The function failed; it is tried again on the next poll.</summary>
    Failing,

    /// <summary>The function failed the maximum number of times; this version is not tried again.</summary>
    Poisoned,
}

/// <summary>The record that a blob version has been handed to a function, so it fires once, across restarts too.</summary>
public sealed record BlobReceipt(string BlobName, string BlobETag, ReceiptState State, int Attempts, ETag RowETag)
{
    public bool IsSettled(string currentETag) => BlobETag == currentETag && State != ReceiptState.Failing;
}

/// <summary>A timer's last and next occurrence, kept so a restart knows whether a run was missed.</summary>
public sealed record TimerStatus(DateTimeOffset? Last, DateTimeOffset Next, ETag RowETag);

/// <summary>
/// Storage of the local host's receipts, table <c>triggerreceipts</c>.
/// Blob receipts: PartitionKey <c>blob-{function}</c> (one partition read loads a function's
/// receipts at start), RowKey the SHA-256 of the blob name in hex — blob names are user-shaped
/// and may hold characters a key forbids, and may be longer than a key allows.
/// Timer status: PartitionKey <c>timer</c>, RowKey the function name (a folder name we chose).
/// Writes are conditional on the row's ETag, so two watchers cannot both record one version.
/// </summary>
public sealed class TriggerReceipts(TableServiceClient tables, StorageNames names)
{
    public const string TableName = "triggerreceipts";
    private const string TimerPartition = "timer";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public static string BlobRowKey(string blobName) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blobName)));

    public async Task<Dictionary<string, BlobReceipt>> LoadBlobReceiptsAsync(string functionName, CancellationToken cancellationToken)
    {
        var receipts = new Dictionary<string, BlobReceipt>(StringComparer.Ordinal);
        var partition = BlobPartition(functionName);
        await foreach (var entity in Table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            var receipt = ToReceipt(entity);
            receipts[receipt.BlobName] = receipt;
        }

        return receipts;
    }

    /// <summary>Records the outcome for a blob version; returns null when another writer changed the row first.</summary>
    public async Task<BlobReceipt?> SaveAsync(string functionName, BlobReceipt? previous, string blobName, string blobETag, ReceiptState state, int attempts, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(BlobPartition(functionName), BlobRowKey(blobName))
        {
            ["BlobName"] = blobName,
            ["BlobETag"] = blobETag,
            ["State"] = state.ToString(),
            ["Attempts"] = attempts,
        };
        try
        {
            var response = previous is null
                ? await Table.AddEntityAsync(entity, cancellationToken)
                : await Table.UpdateEntityAsync(entity, previous.RowETag, TableUpdateMode.Replace, cancellationToken);
            return new BlobReceipt(blobName, blobETag, state, attempts, response.Headers.ETag ?? ETag.All);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    public async Task<TimerStatus?> GetTimerAsync(string functionName, CancellationToken cancellationToken)
    {
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(TimerPartition, functionName, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } e
            ? new TimerStatus(e.GetDateTimeOffset("Last"), e.GetDateTimeOffset("Next") ?? DateTimeOffset.MinValue, e.ETag)
            : null;
    }

    public async Task SaveTimerAsync(string functionName, DateTimeOffset? last, DateTimeOffset next, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TimerPartition, functionName) { ["Last"] = last, ["Next"] = next };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    private static string BlobPartition(string functionName) => "blob-" + functionName;

    private static BlobReceipt ToReceipt(TableEntity e) => new(
        e.GetString("BlobName"),
        e.GetString("BlobETag"),
        Enum.TryParse<ReceiptState>(e.GetString("State"), out var state) ? state : ReceiptState.Failing,
        e.GetInt32("Attempts") ?? 0,
        e.ETag);
}
