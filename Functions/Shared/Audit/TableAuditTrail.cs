using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Shared.Audit;

/// <summary>
/// The audit trail in table <c>audit</c>: <see cref="Chains"/> hash chains, one partition each
/// (<c>chain0</c> … <c>chain3</c>), appended to in batches.
/// <list type="bullet">
/// <item>RowKey <c>e|{sequence, 12 digits}</c>: an entry (<see cref="AuditEntry"/>): its event, the
/// previous entry's hash and its own.</item>
/// <item>RowKey <c>head</c>: the chain's last sequence and hash. Every batch writes its entries and
/// the new head in one transaction conditional on the head's ETag.</item>
/// <item>RowKeys <c>d|{directiveId}|{sequence}</c>, <c>u|{unitId}|{sequence}</c>,
/// <c>a|{actorKind}:{actorId}|{sequence}</c>: copies of an entry for the trail of a directive, a
/// unit or a person (a prefix query per chain), written in the same transaction; verification
/// checks each copy against its entry.</item>
/// </list>
/// <para>
/// Why several chains, and why batches. A chain needs one order, so its appends are serialised:
/// each extends the head it read, and the transaction's ETag condition lets only one of two
/// appenders that read the same head win — the other re-reads and tries again. With one chain for
/// the whole app, every instance would queue on one row and the submission path would wait on it.
/// So each process has one appender (<see cref="AppendAsync"/> only enqueues) that writes everything
/// queued since its last write in one transaction (group commit: one request for up to 24 events,
/// whose callers all return when it is stored), to one chain at a time, chosen at random; when it
/// loses a race to another instance it moves to another chain. Instances rarely share a chain, each
/// chain stays totally ordered, and verification walks each chain on its own. Across chains the
/// order is the events' time — all a trail by directive, unit or person needs.
/// </para>
/// </summary>
public sealed partial class TableAuditTrail : IAuditTrail, IAsyncDisposable
{
    public const string TableName = "audit";
    public const int Chains = 4;
    public const string HeadKey = "head";
    private const int MaxRowsPerTransaction = 99;
    private const int MaxAttempts = 8;

    private readonly TableServiceClient _tables;
    private readonly StorageNames _names;
    private readonly ILogger<TableAuditTrail> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private Task? _writer;
    private int _chain = Random.Shared.Next(Chains);
    private (ChainHead Head, ETag? ETag)? _head;

    public TableAuditTrail(TableServiceClient tables, StorageNames names, ILogger<TableAuditTrail> logger)
    {
        _tables = tables;
        _names = names;
        _logger = logger;
    }

    private TableClient Table => _tables.GetTableClient(_names.Table(TableName));

    public static string ChainName(int chain) => "chain" + chain.ToString(CultureInfo.InvariantCulture);

    /// <summary>Queues the event for this process's appender and returns once the batch it went into is stored (or failed).</summary>
    public Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        EnsureWriter();
        var pending = new Pending(auditEvent, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The audit trail is closed.");
        }

        // Cancelling stops the wait, not the write: an event once queued is stored.
        return pending.Stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stores what is queued, then stops the appender (the host disposes singletons at shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is { } writer)
        {
            await writer;
        }
    }

    private void EnsureWriter()
    {
        if (_writer is not null)
        {
            return;
        }

        lock (_gate)
        {
            _writer ??= Task.Run(WriteAsync);
        }
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = 0;
            while (_queue.Reader.TryPeek(out var next) && (batch.Count == 0 || rows + RowsOf(next.Event) <= MaxRowsPerTransaction - 1))
            {
                _queue.Reader.TryRead(out _);
                batch.Add(next);
                rows += RowsOf(next.Event);
            }

            try
            {
                await CommitAsync(batch.Select(p => p.Event).ToList());
                batch.ForEach(p => p.Stored.TrySetResult());
            }
            catch (Exception ex)
            {
                LogFailed(_logger, ex, batch.Count);
                batch.ForEach(p => p.Stored.TrySetException(ex));
            }
        }
    }

    private async Task CommitAsync(IReadOnlyList<AuditEvent> events)
    {
        for (var attempt = 1; ; attempt++)
        {
            var chain = ChainName(_chain);
            var (head, etag) = _head ??= await ReadHeadAsync(chain);
            var entries = AuditChain.Extend(chain, head, events);
            var actions = entries.SelectMany(Rows).Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)).ToList();
            var newHead = new ChainHead(entries[^1].Sequence, entries[^1].Hash);
            var headRow = new TableEntity(chain, HeadKey) { ["Sequence"] = newHead.Sequence, ["Hash"] = newHead.Hash };
            actions.Add(etag is { } match
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, headRow, match)
                : new TableTransactionAction(TableTransactionActionType.Add, headRow));
            try
            {
                var responses = await Table.SubmitTransactionAsync(actions);
                var written = responses.Value[^1].Headers.ETag;
                _head = written is { } newETag ? (newHead, newETag) : null;
                return;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another instance extended this chain since its head was read: go to another chain.
                _chain = (_chain + 1 + Random.Shared.Next(Chains - 1)) % Chains;
                _head = null;
            }
            catch
            {
                _head = null;
                throw;
            }
        }
    }

    private async Task<(ChainHead Head, ETag? ETag)> ReadHeadAsync(string chain)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(chain, HeadKey);
        return row.HasValue && row.Value is { } e ? (ReadHead(e), e.ETag) : (ChainHead.Empty, null);
    }

    /// <summary>The entry's row and its copies for the trail of its directive, unit and acting person.</summary>
    private static IEnumerable<TableEntity> Rows(AuditEntry entry)
    {
        var sequence = Sequence(entry.Sequence);
        yield return ToRow(entry, "e|" + sequence);
        foreach (var index in Indexes(entry.Event))
        {
            yield return ToRow(entry, index + "|" + sequence);
        }
    }

    private static int RowsOf(AuditEvent e) => 1 + Indexes(e).Count();

    /// <summary>The trails an event appears in: its directive's (<c>d|id</c>), its unit's (<c>u|id</c>), and — when a person or a program acted — theirs (<c>a|kind:id</c>).</summary>
    public static IEnumerable<string> Indexes(AuditEvent e)
    {
        if (e.DirectiveId is { Length: > 0 } directive)
        {
            yield return "d|" + directive;
        }

        if (e.UnitId is { Length: > 0 } unit)
        {
            yield return "u|" + unit;
        }

        if (e.Actor.Kind is ActorKind.Account or ActorKind.ProgramKey)
        {
            yield return "a|" + ActorIndex(e.Actor.Kind, e.Actor.Id);
        }
    }

    public static string ActorIndex(ActorKind kind, string id) => kind + ":" + id;

    public static string Sequence(long sequence) => sequence.ToString("D12", CultureInfo.InvariantCulture);

    private static TableEntity ToRow(AuditEntry entry, string rowKey) => new(entry.Chain, rowKey)
    {
        ["Sequence"] = entry.Sequence,
        ["At"] = entry.Event.At,
        ["ActorKind"] = entry.Event.Actor.Kind.ToString(),
        ["ActorId"] = entry.Event.Actor.Id,
        ["ActorName"] = entry.Event.Actor.Name,
        ["Action"] = entry.Event.Action.ToString(),
        ["DirectiveId"] = entry.Event.DirectiveId,
        ["UnitId"] = entry.Event.UnitId,
        ["Subject"] = entry.Event.Subject,
        ["Summary"] = entry.Event.Summary,
        ["Changes"] = JsonSerializer.Serialize(entry.Event.Changes, AuditJson.Default.IReadOnlyListAuditChange),
        ["PreviousHash"] = entry.PreviousHash,
        ["Hash"] = entry.Hash,
    };

    /// <summary>An entry as stored (its chain is its partition); a row that does not read as one is a <see cref="CorruptRowException"/>.</summary>
    public static AuditEntry ReadEntry(TableEntity e) => new(
        e.PartitionKey,
        e.RequiredLong("Sequence"),
        new AuditEvent
        {
            At = e.RequiredInstant("At"),
            Actor = new AuditActor(e.RequiredEnum<ActorKind>("ActorKind"), e.RequiredString("ActorId"), e.RequiredString("ActorName")),
            Action = e.RequiredEnum<AuditAction>("Action"),
            DirectiveId = e.OptionalString("DirectiveId"),
            UnitId = e.OptionalString("UnitId"),
            Subject = e.OptionalString("Subject"),
            Summary = e.OptionalString("Summary") ?? string.Empty,
            Changes = e.RequiredJson("Changes", AuditJson.Default.IReadOnlyListAuditChange),
        },
        e.RequiredString("PreviousHash"),
        e.RequiredString("Hash"));

    public static ChainHead ReadHead(TableEntity e) => new(e.RequiredLong("Sequence"), e.RequiredString("Hash"));

    private sealed record Pending(AuditEvent Event, TaskCompletionSource Stored);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not append {Count} events to the audit trail")]
    private static partial void LogFailed(ILogger logger, Exception exception, int count);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(IReadOnlyList<AuditChange>))]
internal sealed partial class AuditJson : JsonSerializerContext;
