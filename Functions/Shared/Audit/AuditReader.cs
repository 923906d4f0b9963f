using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Shared.Audit;

/// <summary>Which part of the trail: one directive's, one unit's, one person's or program's (<c>kind:id</c>), or — none given — the latest of all.</summary>
public sealed record AuditFilter(string? DirectiveId = null, string? UnitId = null, string? Actor = null)
{
    public string? Index =>
        DirectiveId is { Length: > 0 } d ? "d|" + d
        : UnitId is { Length: > 0 } u ? "u|" + u
        : Actor is { Length: > 0 } a ? "a|" + a
        : null;
}

/// <summary>Entries of the trail, newest first, and how many rows could not be read (verification says which).</summary>
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
            var rows = filter.Index is { } index
                ? Table.QueryPrefixAsync(name, index + "|", cancellationToken)
                : await LatestAsync(name, max, cancellationToken);
            await foreach (var row in rows)
            {
                try
                {
                    entries.Add(TableAuditTrail.ReadEntry(row));
                }
                catch (CorruptRowException)
                {
                    unreadable++;
                }
            }
        }

        return new AuditPage(entries.OrderByDescending(e => e.Event.At).ThenByDescending(e => e.Sequence).Take(max).ToList(), unreadable);
    }

    /// <summary>
    /// Every chain walked from its first entry to its head (<see cref="AuditChain.Verify"/>), with the
    /// copies kept for searching checked against their entries: the first entry changed, removed or
    /// moved, per chain.
    /// </summary>
    public async Task<IReadOnlyList<ChainReport>> VerifyAsync(CancellationToken cancellationToken)
    {
        var reports = new List<ChainReport>();
        for (var chain = 0; chain < TableAuditTrail.Chains; chain++)
        {
            var name = TableAuditTrail.ChainName(chain);
            var entries = new List<StoredAuditRow>();
            var copies = new List<StoredAuditRow>();
            ChainHead? head = null;
            await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {name}"), cancellationToken: cancellationToken))
            {
                if (row.RowKey == TableAuditTrail.HeadKey)
                {
                    head = ReadOrNull(row, TableAuditTrail.ReadHead) ?? new ChainHead(-1, string.Empty);
                    continue;
                }

                var position = row.RowKey.LastIndexOf('|') is var bar and > 0 && long.TryParse(row.RowKey[(bar + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var p) ? p : -1;
                (row.RowKey.StartsWith("e|", StringComparison.Ordinal) ? entries : copies).Add(new StoredAuditRow(position, ReadOrNull(row, TableAuditTrail.ReadEntry)));
            }

            reports.Add(AuditChain.Verify(name, entries, head ?? (entries.Count > 0 ? new ChainHead(-1, string.Empty) : null), copies));
        }

        return reports;
    }

    private async Task<IAsyncEnumerable<TableEntity>> LatestAsync(string chain, int max, CancellationToken cancellationToken)
    {
        var head = await Table.GetEntityIfExistsAsync<TableEntity>(chain, TableAuditTrail.HeadKey, cancellationToken: cancellationToken);
        var last = head.HasValue && head.Value is { } h ? ReadOrNull(h, TableAuditTrail.ReadHead)?.Sequence ?? 0 : 0;
        var from = "e|" + TableAuditTrail.Sequence(Math.Max(1, last - max + 1));
        return Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {chain} and RowKey ge {from} and RowKey lt {"e}"}"),
            cancellationToken: cancellationToken);
    }

    private static T? ReadOrNull<T>(TableEntity row, Func<TableEntity, T> read)
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
