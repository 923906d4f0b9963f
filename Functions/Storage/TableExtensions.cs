using Azure;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Functions.Storage;

/// <summary>Small helpers shared by the table adapters.</summary>
public static class TableExtensions
{
    /// <summary>Adds the entity, or — when the version is given — replaces it only if it is still at that ETag. A lost race is a Conflict value.</summary>
    public static async Task<Result<bool>> WriteConditionallyAsync(this TableClient table, ITableEntity entity, StoredVersion? expectedVersion, CancellationToken cancellationToken)
    {
        try
        {
            _ = expectedVersion is { } version
                ? await table.UpdateEntityAsync(entity, new ETag(version.Token), TableUpdateMode.Replace, cancellationToken)
                : await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return Error.Conflict("concurrent-change", "Dữ liệu vừa được thay đổi đồng thời; hãy tải lại và thử lại.");
        }
    }

    /// <summary>A transaction action that adds <paramref name="entity"/> when it had no version (it must not exist yet) or replaces it only if still at that ETag.</summary>
    public static TableTransactionAction Conditional(ITableEntity entity, StoredVersion? expectedVersion) =>
        expectedVersion is { } version
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(version.Token))
            : new TableTransactionAction(TableTransactionActionType.Add, entity);

    /// <summary>Every entity of a partition whose row key starts with <paramref name="rowKeyPrefix"/> (one range query; values escaped by the SDK).</summary>
    public static AsyncPageable<TableEntity> QueryPrefixAsync(this TableClient table, string partitionKey, string rowKeyPrefix, CancellationToken cancellationToken)
    {
        var upper = rowKeyPrefix[..^1] + (char)(rowKeyPrefix[^1] + 1);
        return table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {rowKeyPrefix} and RowKey lt {upper}"),
            cancellationToken: cancellationToken);
    }

    /// <summary>Submits entity actions in transactions of at most 100 (the service's limit), all in one partition.</summary>
    public static async Task SubmitInChunksAsync(this TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        foreach (var chunk in actions.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }
}
