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
/// its top-level branch. Writes are conditional on the version read. A unit without an address is
/// stored with an empty <c>Email</c> (a missing field is a corrupt row, as always).
/// </summary>
public sealed class TableUnitStore(TableServiceClient tables, StorageNames names) : IUnitStore
{
    public const string TableName = "units";
    private const string Partition = "unit";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<IReadOnlyList<Versioned<Unit>>> ListAsync(CancellationToken cancellationToken)
    {
        var units = new List<Versioned<Unit>>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
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

    public Task<Result<bool>> PutAsync(Unit unit, StoredVersion? expectedVersion, CancellationToken cancellationToken) =>
        Table.WriteConditionallyAsync(
            new TableEntity(Partition, unit.Id.Value)
            {
                ["Name"] = unit.Name,
                ["Level"] = (int)unit.Level,
                ["ParentId"] = unit.ParentId?.Value,
                ["Email"] = unit.Email?.Value ?? string.Empty,
            },
            expectedVersion,
            cancellationToken);

    private static Unit ToUnit(TableEntity e) => new(
        e.Parsed("RowKey", e.RowKey, id => UnitId.Parse(id)),
        e.RequiredString("Name"),
        e.Parsed("Level", e.RequiredInt("Level").ToString(System.Globalization.CultureInfo.InvariantCulture), l => UnitLevels.Parse(l)),
        e.OptionalString("ParentId") is { Length: > 0 } parent ? e.Parsed("ParentId", parent, p => UnitId.Parse(p)) : null,
        e.RequiredString("Email") is { Length: > 0 } email ? e.Parsed("Email", email, a => EmailAddress.Parse(a)) : null);
}
