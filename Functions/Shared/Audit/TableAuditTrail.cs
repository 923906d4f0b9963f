using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
/// (<c>chain0</c> … <c>chain3</c>), appended to in blocks.
/// <list type="bullet">
/// <item>RowKey <c>b|{first sequence, 12 digits}</c>: a block — the entries (<see cref="AuditEntry"/>:
/// event, previous entry's hash, own hash) one append stored, as JSON in <c>E0</c>, <c>E1</c>, …
/// (a property holds at most 32K characters), with <c>First</c>, <c>Last</c> and <c>Count</c>, and a
/// marker property (<c>true</c>) for every directive, unit and person the block's entries concern:
/// <c>d_</c>, <c>u_</c> or <c>a_</c> and 16 hex digits of the id's SHA-256.</item>
/// <item>RowKey <c>head</c>: the chain's last sequence and hash. Every block is written together with
/// the new head in one transaction conditional on the head's ETag.</item>
/// </list>
/// <para>
/// Why several chains, blocks and markers. A chain needs one order, so its appends are serialised:
/// each extends the head it read, and the transaction's ETag condition lets only one of two
/// appenders that read the same head win — the other re-reads and tries again. With one chain for
/// the whole app every instance would queue on one row, and with a row per entry the trail would
/// cost the storage service as much as the submission it records. So each process has one appender
/// (<see cref="AppendAsync"/> only enqueues; callers wait for their block to be stored) that writes
/// everything queued since its last write as one block — group commit: two rows in one request for
/// up to a few hundred events — to one chain at a time, chosen at random; when it loses a race to
/// another instance it moves to another chain. Instances rarely share a chain, each chain stays
/// totally ordered, and verification walks each chain on its own; across chains the order is the
/// events' time, all a trail by directive, unit or person needs. Table Storage has no secondary
/// index, so the trail of a directive, a unit or a person is one query per chain filtered on its
/// marker — evaluated by the service, with no extra rows on the submission path — and the entries
/// are then checked against the id itself.
/// </para>
/// </summary>
public sealed partial class TableAuditTrail : IAuditTrail, IAsyncDisposable
{
    public const string TableName = "audit";
    public const int Chains = 4;
    public const string HeadKey = "head";
    public const string BlockPrefix = "b|";

    /// <summary>A block's JSON is kept under this many characters (a property takes 32K, an entity 1 MB) …</summary>
    private const int MaxBlockChars = 400_000;

    /// <summary>… and its markers under this many properties (an entity has at most 252).</summary>
    private const int MaxMarkers = 200;

    private const int ChunkChars = 30_000;
    private const int MaxAttempts = 8;

    private readonly TableServiceClient _tables;
    private readonly StorageNames _names;
    private readonly ILogger<TableAuditTrail> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private Task? _writer;
    private int _chain;
    private (ChainHead Head, ETag? ETag)? _head;

    public TableAuditTrail(TableServiceClient tables, StorageNames names, ILogger<TableAuditTrail> logger)
        : this(tables, names, logger, Random.Shared.Next(Chains))
    {
    }

    /// <summary>An appender that starts on chain <paramref name="firstChain"/> (tests make two instances race on one chain).</summary>
    internal TableAuditTrail(TableServiceClient tables, StorageNames names, ILogger<TableAuditTrail> logger, int firstChain)
    {
        _tables = tables;
        _names = names;
        _logger = logger;
        _chain = firstChain;
    }

    private TableClient Table => _tables.GetTableClient(_names.Table(TableName));

    public static string ChainName(int chain) => "chain" + chain.ToString(CultureInfo.InvariantCulture);

    /// <summary>Queues the event for this process's appender and returns once the block it went into is stored (or failed).</summary>
    public Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        EnsureWriter();
        var pending = new Pending(auditEvent, Size(auditEvent), Markers(auditEvent).ToList(), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
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

    /// <summary>The marker property of a directive (<c>d</c>), unit (<c>u</c>) or person (<c>a</c>, <c>Kind:id</c>).</summary>
    public static string Marker(char kind, string id) =>
        kind + "_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..16];

    public static string ActorIndex(ActorKind kind, string id) => kind + ":" + id;

    public static string Sequence(long sequence) => sequence.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>The directives, units and persons an event concerns: its directive, its unit, and — when a person or a program acted — them.</summary>
    public static IEnumerable<string> Markers(AuditEvent e)
    {
        if (e.DirectiveId is { Length: > 0 } directive)
        {
            yield return Marker('d', directive);
        }

        if (e.UnitId is { Length: > 0 } unit)
        {
            yield return Marker('u', unit);
        }

        if (e.Actor.Kind is ActorKind.Account or ActorKind.ProgramKey)
        {
            yield return Marker('a', ActorIndex(e.Actor.Kind, e.Actor.Id));
        }
    }

    /// <summary>The entries a block row holds (its chain is its partition); a row that does not read as a block is a <see cref="CorruptRowException"/>.</summary>
    public static IReadOnlyList<AuditEntry> ReadBlock(TableEntity row)
    {
        var count = row.RequiredInt("Count");
        var json = new StringBuilder();
        for (var i = 0; row.OptionalString("E" + i.ToString(CultureInfo.InvariantCulture)) is { } chunk; i++)
        {
            json.Append(chunk);
        }

        List<StoredEntry>? stored;
        try
        {
            stored = JsonSerializer.Deserialize(json.ToString(), AuditJson.Default.ListStoredEntry);
        }
        catch (JsonException ex)
        {
            throw CorruptRowException.For(row, "E0", "is not the JSON of a block", ex);
        }

        return stored is not null && stored.Count == count
            ? stored.Select(s => s.ToEntry(row.PartitionKey)).ToList()
            : throw CorruptRowException.For(row, "Count", "does not match the entries");
    }

    public static ChainHead ReadHead(TableEntity e) => new(e.RequiredLong("Sequence"), e.RequiredString("Hash"));

    private static int Size(AuditEvent e) =>
        300 + e.Summary.Length + (e.Subject?.Length ?? 0) + e.Actor.Name.Length + e.Changes.Sum(c => 40 + c.Label.Length + (c.Before?.Length ?? 0) + (c.After?.Length ?? 0));

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
        var markers = new HashSet<string>(StringComparer.Ordinal);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            markers.Clear();
            var size = 0;
            while (_queue.Reader.TryPeek(out var next)
                && (batch.Count == 0 || (size + next.Size <= MaxBlockChars && markers.Count + next.Markers.Count(m => !markers.Contains(m)) <= MaxMarkers)))
            {
                _queue.Reader.TryRead(out _);
                batch.Add(next);
                size += next.Size;
                markers.UnionWith(next.Markers);
            }

            try
            {
                await CommitAsync(batch.Select(p => p.Event).ToList(), markers);
                batch.ForEach(p => p.Stored.TrySetResult());
            }
            catch (Exception ex)
            {
                LogFailed(_logger, ex, batch.Count);
                batch.ForEach(p => p.Stored.TrySetException(ex));
            }
        }
    }

    private async Task CommitAsync(IReadOnlyList<AuditEvent> events, IReadOnlySet<string> markers)
    {
        for (var attempt = 1; ; attempt++)
        {
            var chain = ChainName(_chain);
            var (head, etag) = _head ??= await ReadHeadAsync(chain);
            var entries = AuditChain.Extend(chain, head, events);
            var newHead = new ChainHead(entries[^1].Sequence, entries[^1].Hash);
            var headRow = new TableEntity(chain, HeadKey) { ["Sequence"] = newHead.Sequence, ["Hash"] = newHead.Hash };
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.Add, BlockRow(chain, entries, markers)),
                etag is { } match ? new(TableTransactionActionType.UpdateReplace, headRow, match) : new(TableTransactionActionType.Add, headRow),
            ];
            try
            {
                var responses = await Table.SubmitTransactionAsync(actions);
                _head = responses.Value[^1].Headers.ETag is { } written ? (newHead, written) : null;
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

    private static TableEntity BlockRow(string chain, IReadOnlyList<AuditEntry> entries, IEnumerable<string> markers)
    {
        var row = new TableEntity(chain, BlockPrefix + Sequence(entries[0].Sequence))
        {
            ["First"] = entries[0].Sequence,
            ["Last"] = entries[^1].Sequence,
            ["Count"] = entries.Count,
        };
        var json = JsonSerializer.Serialize(entries.Select(StoredEntry.Of).ToList(), AuditJson.Default.ListStoredEntry);
        for (var i = 0; i * ChunkChars < json.Length; i++)
        {
            row["E" + i.ToString(CultureInfo.InvariantCulture)] = json.Substring(i * ChunkChars, Math.Min(ChunkChars, json.Length - (i * ChunkChars)));
        }

        foreach (var marker in markers)
        {
            row[marker] = true;
        }

        return row;
    }

    private sealed record Pending(AuditEvent Event, int Size, IReadOnlyList<string> Markers, TaskCompletionSource Stored);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not append {Count} events to the audit trail")]
    private static partial void LogFailed(ILogger logger, Exception exception, int count);
}

/// <summary>An entry as a block stores it.</summary>
internal sealed record StoredEntry(
    long Sequence,
    DateTimeOffset At,
    ActorKind ActorKind,
    string ActorId,
    string ActorName,
    AuditAction Action,
    string? DirectiveId,
    string? UnitId,
    string? Subject,
    string Summary,
    IReadOnlyList<AuditChange> Changes,
    string PreviousHash,
    string Hash)
{
    public static StoredEntry Of(AuditEntry e) => new(
        e.Sequence, e.Event.At, e.Event.Actor.Kind, e.Event.Actor.Id, e.Event.Actor.Name, e.Event.Action,
        e.Event.DirectiveId, e.Event.UnitId, e.Event.Subject, e.Event.Summary, e.Event.Changes, e.PreviousHash, e.Hash);

    public AuditEntry ToEntry(string chain) => new(
        chain,
        Sequence,
        new AuditEvent
        {
            At = At,
            Actor = new AuditActor(ActorKind, ActorId, ActorName),
            Action = Action,
            DirectiveId = DirectiveId,
            UnitId = UnitId,
            Subject = Subject,
            Summary = Summary,
            Changes = Changes,
        },
        PreviousHash,
        Hash);
}

/// <summary>Blocks' JSON, generated at compile time (no reflection: the package is trimmed). Enums by their C# names, as stored enums are.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<StoredEntry>))]
internal sealed partial class AuditJson : JsonSerializerContext;
