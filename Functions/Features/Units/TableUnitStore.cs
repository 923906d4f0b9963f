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
/// its top-level branch. Writes are conditional on the version read. RowKey <c>~version</c> is the
/// list's version: upserted in the same transaction as every unit written, so its ETag changes with
/// any change to the list (the office's pages keep the tree and only read this row to check it).
/// </summary>
public sealed class TableUnitStore(TableServiceClient tables, StorageNames names) : IUnitStore
{
    public const string TableName = "units";
    private const string Partition = "unit";
    private const string VersionRow = "~version";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<IReadOnlyList<Versioned<Unit>>> ListAsync(CancellationToken cancellationToken)
    {
        var units = new List<Versioned<Unit>>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey lt {VersionRow}"), cancellationToken: cancellationToken))
        {
            units.Add(new Versioned<Unit>(ToUnit(e), e.Version()));
        }

        return units;
    }

    public async Task<Unit?> GetAsync(UnitId id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id.Value, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? ToUnit(e) : null;
    }

    public async Task<Result<bool>> PutAsync(Unit unit, StoredVersion? expectedVersion, CancellationToken cancellationToken)
    {
        var row = new TableEntity(Partition, unit.Id.Value)
        {
            ["Name"] = unit.Name,
            ["Level"] = (int)unit.Level,
            ["ParentId"] = unit.ParentId?.Value,
            ["Email"] = unit.Email.Value,
        };
        try
        {
            await Table.SubmitTransactionAsync(
                [TableExtensions.Conditional(row, expectedVersion), new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(Partition, VersionRow))],
                cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return Error.Conflict("concurrent-change", "Dữ liệu vừa được thay đổi đồng thời; hãy tải lại và thử lại.");
        }
    }

    public async Task<StoredVersion?> VersionAsync(CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, VersionRow, select: ["RowKey"], cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? e.Version() : null;
    }

    private static Unit ToUnit(TableEntity e) => new(
        e.Parsed("RowKey", e.RowKey, id => UnitId.Parse(id)),
        e.RequiredString("Name"),
        e.Parsed("Level", e.RequiredInt("Level").ToString(System.Globalization.CultureInfo.InvariantCulture), l => UnitLevels.Parse(l)),
        e.OptionalString("ParentId") is { Length: > 0 } parent ? e.Parsed("ParentId", parent, p => UnitId.Parse(p)) : null,
        e.Required("Email", a => EmailAddress.Parse(a)));
}
