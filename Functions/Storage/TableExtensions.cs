using Azure;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Functions.Storage;

/// <summary>Small helpers shared by the table adapters.</summary>
public static class TableExtensions
{
    /// <summary>Adds the entity, or — when the version is given — replaces it only if it is still at that ETag. A lost race is a Conflict value.</summary>
    public static async Task<Result<ETag>> WriteConditionallyAsync(this TableClient table, ITableEntity entity, string? expectedVersion, CancellationToken cancellationToken)
    {
        try
        {
            var response = expectedVersion is null
                ? await table.AddEntityAsync(entity, cancellationToken)
                : await table.UpdateEntityAsync(entity, new ETag(expectedVersion), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return Error.Conflict("concurrent-change", "Dữ liệu vừa được thay đổi đồng thời; hãy tải lại và thử lại.");
        }
    }

    /// <summary>A transaction action that adds <paramref name="entity"/> when it had no version (it must not exist yet) or replaces it only if still at that ETag.</summary>
    public static TableTransactionAction Conditional(ITableEntity entity, string? expectedVersion) =>
        expectedVersion is null
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(expectedVersion));

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
