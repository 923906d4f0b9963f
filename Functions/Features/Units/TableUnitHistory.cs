using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Units;

/// <summary>
/// Units' histories in table <c>unithistory</c>: PartitionKey the unit id (a validated id, a safe
/// key), RowKey the time inverted (newest first) and a random suffix (two changes in one tick
/// both stay). The fields before and after are a JSON list.
/// </summary>
public sealed class TableUnitHistory(TableServiceClient tables, StorageNames names) : IUnitHistory
{
    public const string TableName = "unithistory";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public Task AppendAsync(UnitHistoryEntry entry, CancellationToken cancellationToken) =>
        Table.AddEntityAsync(
            new TableEntity(entry.UnitId.Value, $"{(DateTimeOffset.MaxValue.UtcTicks - entry.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}")
            {
                ["At"] = entry.At,
                ["ActorId"] = entry.ActorId,
                ["ActorName"] = entry.ActorName,
                ["What"] = entry.What.ToString(),
                ["Changes"] = JsonSerializer.Serialize(entry.Changes.Select(c => new StoredUnitChange(c.Label, c.Before, c.After)).ToList(), UnitHistoryJson.Default.ListStoredUnitChange),
            },
            cancellationToken);

    public async Task<IReadOnlyList<UnitHistoryEntry>> ListAsync(UnitId unitId, int max, CancellationToken cancellationToken)
    {
        var entries = new List<UnitHistoryEntry>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {unitId.Value}"), maxPerPage: max, cancellationToken: cancellationToken))
        {
            entries.Add(new UnitHistoryEntry(
                unitId,
                e.RequiredInstant("At"),
                e.RequiredString("ActorId"),
                e.RequiredString("ActorName"),
                e.RequiredEnum<UnitChangeKind>("What"),
                e.RequiredJson("Changes", UnitHistoryJson.Default.ListStoredUnitChange).Select(c => new AuditChange(c.Label, c.Before, c.After)).ToList()));
            if (entries.Count >= max)
            {
                break;
            }
        }

        return entries;
    }
}

/// <summary>One field of a change as stored.</summary>
internal sealed record StoredUnitChange(string Label, string? Before, string? After);

/// <summary>The history's JSON, generated at compile time (the package is trimmed).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(List<StoredUnitChange>))]
internal sealed partial class UnitHistoryJson : JsonSerializerContext;
