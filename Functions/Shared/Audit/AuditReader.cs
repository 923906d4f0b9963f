using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Shared.Audit;

/// <summary>Which part of the trail: one directive's, one unit's, one person's or program's (<c>Kind:id</c>), or — none given — the latest of all.</summary>
public sealed record AuditFilter(string? DirectiveId = null, string? UnitId = null, string? Actor = null)
{
    /// <summary>The marker property of the filter (<see cref="TableAuditTrail.Marker"/>), or null for the latest of all.</summary>
    public string? Marker =>
        DirectiveId is { Length: > 0 } d ? TableAuditTrail.Marker('d', d)
        : UnitId is { Length: > 0 } u ? TableAuditTrail.Marker('u', u)
        : Actor is { Length: > 0 } a ? TableAuditTrail.Marker('a', a)
        : null;

    /// <summary>Whether an entry belongs to this part of the trail (markers are hashes: the entry itself decides).</summary>
    public bool Admits(AuditEvent e) =>
        DirectiveId is { Length: > 0 } d ? e.DirectiveId == d
        : UnitId is { Length: > 0 } u ? e.UnitId == u
        : Actor is not { Length: > 0 } a || TableAuditTrail.ActorIndex(e.Actor.Kind, e.Actor.Id) == a;
}

/// <summary>Entries of the trail, newest first, and how many blocks could not be read (verification says where).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Unreadable);

/// <summary>Reads the audit trail (<see cref="TableAuditTrail"/>): the trail of a directive, unit or person, and each chain verified.</summary>
public sealed class AuditReader(TableServiceClient tables, StorageNames names)
{
    private TableClient Table => tables.GetTableClient(names.Table(TableAuditTrail.TableName));

    public async Task<AuditPage> TrailAsync(AuditFilter filter, int max, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        var unreadable = 0;
        for (var chain = 0; chain < TableAuditTrail.Chains; chain++)
        {
            var name = TableAuditTrail.ChainName(chain);
            // A marker is a property name made of a letter and hex digits (never the typed id), so it is safe in the filter's text.
            var query = filter.Marker is { } marker
                ? TableClient.CreateQueryFilter($"PartitionKey eq {name}") + $" and {marker} eq true"
                : await LatestAsync(name, max, cancellationToken);
            await foreach (var row in Table.QueryAsync<TableEntity>(query, cancellationToken: cancellationToken))
            {
                try
                {
                    entries.AddRange(TableAuditTrail.ReadBlock(row).Where(e => filter.Admits(e.Event)));
                }
                catch (CorruptRowException)
                {
                    unreadable++;
                }
            }
        }

        return new AuditPage(entries.OrderByDescending(e => e.Event.At).ThenByDescending(e => e.Sequence).Take(max).ToList(), unreadable);
    }

    /// <summary>Every chain walked from its first entry to its head (<see cref="AuditChain.Verify"/>): the first entry changed, removed or moved, per chain.</summary>
    public async Task<IReadOnlyList<ChainReport>> VerifyAsync(CancellationToken cancellationToken)
    {
        var reports = new List<ChainReport>();
        for (var chain = 0; chain < TableAuditTrail.Chains; chain++)
        {
            var name = TableAuditTrail.ChainName(chain);
            var entries = new List<StoredAuditRow>();
            ChainHead? head = null;
            await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {name}"), cancellationToken: cancellationToken))
            {
                if (row.RowKey == TableAuditTrail.HeadKey)
                {
                    head = Read(row, TableAuditTrail.ReadHead) ?? new ChainHead(-1, string.Empty);
                    continue;
                }

                // Each entry at the place its block's key gives it: the block's first sequence, then one by one.
                var first = long.TryParse(row.RowKey.AsSpan(TableAuditTrail.BlockPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var f) ? f : -1;
                var block = Read(row, TableAuditTrail.ReadBlock);
                entries.AddRange(block is null ? [new StoredAuditRow(first, null)] : block.Select((e, i) => new StoredAuditRow(first + i, e)));
            }

            reports.Add(AuditChain.Verify(name, entries, head ?? (entries.Count > 0 ? new ChainHead(-1, string.Empty) : null)));
        }

        return reports;
    }

    /// <summary>The query for a chain's newest blocks: those that can hold its last <paramref name="max"/> entries.</summary>
    private async Task<string> LatestAsync(string chain, int max, CancellationToken cancellationToken)
    {
        var head = await Table.GetEntityIfExistsAsync<TableEntity>(chain, TableAuditTrail.HeadKey, cancellationToken: cancellationToken);
        var last = head.HasValue && head.Value is { } h ? Read(h, TableAuditTrail.ReadHead)?.Sequence ?? 0 : 0;
        var from = TableAuditTrail.BlockPrefix + TableAuditTrail.Sequence(Math.Max(0, last - (2L * max)));
        return TableClient.CreateQueryFilter($"PartitionKey eq {chain} and RowKey ge {from} and RowKey lt {"b}"}");
    }

    private static T? Read<T>(TableEntity row, Func<TableEntity, T> read)
        where T : class
    {
        try
        {
            return read(row);
        }
        catch (CorruptRowException)
        {
            return null;
        }
    }
}

/// <summary>Whether the trail holds a directive's registration: its trail (one query per chain on the directive's marker) holds a <see cref="AuditAction.DirectiveRegistered"/>.</summary>
public sealed class RegistrationAudits(AuditReader reader) : Domain.Directives.IRegistrationAudits
{
    public async Task<bool> RecordedAsync(Domain.Directives.DirectiveId id, CancellationToken cancellationToken) =>
        (await reader.TrailAsync(new AuditFilter(DirectiveId: id.Value), int.MaxValue, cancellationToken)).Entries.Any(e => e.Event.Action == AuditAction.DirectiveRegistered);
}
