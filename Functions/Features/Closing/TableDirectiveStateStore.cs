using Azure;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Links;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Closing;

/// <summary>
/// What changes about a directive beside its content, in table <c>directivestate</c>:
/// <list type="bullet">
/// <item>PartitionKey <c>closed</c>, RowKey = directive id: the office closed it (<c>ClosedAt</c>,
/// <c>ClosedBy</c>, <c>Note</c>); no row while it is open. One partition: the office's list reads
/// every closure in one query.</item>
/// <item>PartitionKey = directive id, RowKey <c>link|{unitId}</c>: the unit's link version
/// (<c>Version</c>, <c>ReissuedAt</c>), once the office has reissued it; no row: version 1.
/// Raised conditionally on the ETag read, so two presses never skip a version.</item>
/// </list>
/// Read on every unit request and never cached, so a closure or a new link holds on every instance at once.
/// </summary>
public sealed class TableDirectiveStateStore(TableServiceClient tables, StorageNames names, TimeProvider time) : IDirectiveStateStore
{
    public const string TableName = "directivestate";
    private const string ClosedPartition = "closed";
    private const string LinkPrefix = "link|";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task<DirectiveClosure?> ClosureAsync(DirectiveId id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(ClosedPartition, id.Value, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? ToClosure(e) : null;
    }

    public async Task<IReadOnlyDictionary<DirectiveId, DirectiveClosure>> ClosuresAsync(CancellationToken cancellationToken)
    {
        var closures = new Dictionary<DirectiveId, DirectiveClosure>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ClosedPartition}"), cancellationToken: cancellationToken))
        {
            closures[row.Parsed("RowKey", row.RowKey, DirectiveId.Parse)] = ToClosure(row);
        }

        return closures;
    }

    public async Task<(DirectiveClosure Closure, bool Closed)> CloseAsync(DirectiveId id, DirectiveClosure closure, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(
                new TableEntity(ClosedPartition, id.Value) { ["ClosedAt"] = closure.ClosedAt, ["ClosedBy"] = closure.ClosedBy, ["Note"] = closure.Note },
                cancellationToken);
            return (closure, true);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return (await ClosureAsync(id, cancellationToken) ?? closure, false);
        }
    }

    public async Task<bool> ReopenAsync(DirectiveId id, CancellationToken cancellationToken)
    {
        var response = await Table.DeleteEntityAsync(ClosedPartition, id.Value, ETag.All, cancellationToken);
        return response.Status != 404;
    }

    public async Task<int> LinkVersionAsync(DirectiveId id, UnitId unit, CancellationToken cancellationToken) =>
        (await LinkRowAsync(id, unit, cancellationToken)).Version;

    public async Task<IReadOnlyDictionary<UnitId, int>> LinkVersionsAsync(DirectiveId id, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<UnitId, int>();
        await foreach (var row in Table.QueryPrefixAsync(id.Value, LinkPrefix, cancellationToken))
        {
            versions[row.Parsed("RowKey", row.RowKey[LinkPrefix.Length..], u => UnitId.Parse(u))] = row.RequiredInt("Version");
        }

        return versions;
    }

    public async Task<Result<int>> RaiseLinkVersionAsync(DirectiveId id, UnitId unit, int from, CancellationToken cancellationToken)
    {
        var (current, version) = await LinkRowAsync(id, unit, cancellationToken);
        if (current != from)
        {
            return Error.Conflict("link-changed", "Đường dẫn của đơn vị vừa được cấp lại; xin tải lại trang.");
        }

        var next = current + 1;
        var written = await Table.WriteConditionallyAsync(
            new TableEntity(id.Value, LinkPrefix + unit.Value) { ["Version"] = next, ["ReissuedAt"] = time.GetUtcNow() },
            version,
            cancellationToken);
        return written.IsSuccess ? next : written.Error!;
    }

    private async Task<(int Version, StoredVersion? Read)> LinkRowAsync(DirectiveId id, UnitId unit, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(id.Value, LinkPrefix + unit.Value, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? (e.RequiredInt("Version"), e.Version()) : (UnitLink.FirstVersion, null);
    }

    private static DirectiveClosure ToClosure(TableEntity e) => new(e.RequiredInstant("ClosedAt"), e.RequiredString("ClosedBy"), e.OptionalString("Note"));
}
