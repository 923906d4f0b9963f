using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Units;

/// <summary>
/// Units in table <c>units</c>: PartitionKey <c>unit</c>, RowKey the unit id (its grammar is a
/// safe key: lowercase letters, digits, hyphens). One partition holds the whole tree, so building
/// it — for placement checks, "unit and everything under it", escalation chains — is one query.
/// That suits an office's tree (tens to a few thousand units); a national tree would partition by
/// its top-level branch. Writes are conditional on the ETag read.
/// </summary>
public sealed class TableUnitStore(TableServiceClient tables, StorageNames names) : IUnitStore
{
    public const string TableName = "units";
    private const string Partition = "unit";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<IReadOnlyList<VersionedUnit>> ListAsync(CancellationToken cancellationToken)
    {
        var units = new List<VersionedUnit>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
        {
            units.Add(new VersionedUnit(ToUnit(e), e.ETag.ToString()));
        }

        return units;
    }

    public async Task<Unit?> GetAsync(UnitId id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id.Value, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? ToUnit(e) : null;
    }

    private static Unit ToUnit(TableEntity e)
    {
        var parent = e.GetString("ParentId");
        return new Unit(
            UnitId.Parse(e.RowKey).Value,
            e.GetString("Name"),
            (UnitLevel)(e.GetInt32("Level") ?? 0),
            string.IsNullOrEmpty(parent) ? null : UnitId.Parse(parent).Value,
            e.GetString("Email"));
    }

    public async Task<Result<bool>> PutAsync(Unit unit, string? expectedVersion, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, unit.Id.Value)
        {
            ["Name"] = unit.Name,
            ["Level"] = (int)unit.Level,
            ["ParentId"] = unit.ParentId?.Value,
            ["Email"] = unit.Email,
        };
        var written = await Table.WriteConditionallyAsync(entity, expectedVersion, cancellationToken);
        return written.IsSuccess ? expectedVersion is null : written.Error!;
    }
}
