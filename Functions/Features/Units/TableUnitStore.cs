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
/// stored with an empty <c>Email</c> (a missing field is a corrupt row, as always). RowKey <c>~version</c> is the
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
            ["Kind"] = UnitKinds.Code(unit.Kind),
            ["Level"] = unit.Level is { } level ? (int)level : null,
            ["ParentId"] = unit.ParentId?.Value,
            ["Email"] = unit.Email?.Value ?? string.Empty,
            ["AlsoTo"] = unit.AlsoTo.Count > 0 ? string.Join(' ', unit.AlsoTo.Select(e => e.Value)) : null,
            ["Phone"] = unit.Phone.Length > 0 ? unit.Phone : null,
            ["Contact"] = unit.Contact.Length > 0 ? unit.Contact : null,
            ["State"] = unit.State == UnitState.Active ? null : unit.State.ToString(),
            ["MergedInto"] = unit.MergedInto?.Value,
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

    /// <summary>
    /// A row as stored. Rows written before units had kinds (no Kind, AlsoTo, Phone, Contact, State)
    /// are party organisations with one address, working; a column that is there but unreadable —
    /// an unknown kind, a party organisation without a level, a body without one that has it, an
    /// address that is not one, further addresses without a first one, a merged unit without its receiver — is a corrupt row.
    /// </summary>
    private static Unit ToUnit(TableEntity e)
    {
        var storedKind = e.OptionalString("Kind");
        var kind = storedKind is null ? UnitKind.PartyOrganisation : e.Parsed("Kind", storedKind, ParseKind);
        UnitLevel? level = UnitKinds.HasLevel(kind)
            ? e.Parsed("Level", e.RequiredInt("Level").ToString(System.Globalization.CultureInfo.InvariantCulture), l => UnitLevels.Parse(l))
            : e.ContainsKey("Level") && e["Level"] is not null ? throw CorruptRowException.For(e, "Level", $"is set for a unit of kind {storedKind}, which has no level") : null;
        var state = e.OptionalString("State") is { } storedState
            ? Enum.TryParse<UnitState>(storedState, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && parsed != UnitState.Active
                ? parsed
                : throw CorruptRowException.For(e, "State", "is not a unit state")
            : UnitState.Active;
        var mergedInto = e.OptionalString("MergedInto") is { Length: > 0 } into ? e.Parsed("MergedInto", into, i => UnitId.Parse(i)) : (UnitId?)null;
        if ((state == UnitState.Merged) != (mergedInto is not null))
        {
            throw CorruptRowException.For(e, "MergedInto", "does not match the unit's state");
        }

        return new Unit(
            e.Parsed("RowKey", e.RowKey, id => UnitId.Parse(id)),
            e.RequiredString("Name"),
            level,
            e.OptionalString("ParentId") is { Length: > 0 } parent ? e.Parsed("ParentId", parent, p => UnitId.Parse(p)) : null,
            e.RequiredString("Email") is { Length: > 0 } email ? e.Parsed("Email", email, a => EmailAddress.Parse(a)) : null)
        {
            Kind = kind,
            AlsoTo = e.OptionalString("AlsoTo") is { } also
                ? new EmailList(also.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => e.Parsed("AlsoTo", a, t => EmailAddress.Parse(t))))
                : EmailList.Empty,
            Phone = e.OptionalString("Phone") ?? string.Empty,
            Contact = e.OptionalString("Contact") ?? string.Empty,
            State = state,
            MergedInto = mergedInto,
        };
    }

    /// <summary>A stored kind: exactly its kebab-case name.</summary>
    private static Result<UnitKind> ParseKind(string text) =>
        Enum.GetValues<UnitKind>().Where(k => UnitKinds.Code(k) == text).Select(k => (UnitKind?)k).FirstOrDefault() is { } kind
            ? kind
            : Error.Validation("Kind", "invalid-kind", "unknown kind");
}
