using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// Ladders, the outbox and two small indexes, in two tables.
/// <para><c>escalations</c>, PartitionKey = directive id (or <c>office</c> for digests):</para>
/// <list type="bullet">
/// <item>RowKey <c>ladder|{taskId}|{unitId}</c>: the steps recorded for an assignment (ETag-guarded);</item>
/// <item>RowKey <c>outbox|{notificationId}</c>: an email decided, with its sending state.</item>
/// </list>
/// A ladder row and its outbox rows share a partition, so recording a step and its email is ONE
/// entity-group transaction: both or neither, and a second run's transaction fails on the ETag
/// (or on the outbox row that already exists) instead of adding a second email.
/// <para><c>duequeue</c>, the indexes, each one partition:</para>
/// <list type="bullet">
/// <item><c>due</c> / <c>{yyyyMMddHHmmss UTC}|{directive}|{task}|{unit}</c>: when an assignment next
/// needs attention. The check reads <c>RowKey &lt; now</c> — one range query that returns only
/// what is due, whatever the number of assignments.</item>
/// <item><c>unsent</c> / <c>{scope}|{notificationId}</c>: outbox entries not yet settled, so the
/// sender never scans the outbox.</item>
/// </list>
/// Index rows are hints written BEFORE the transaction and removed AFTER it: a crash in between
/// leaves a hint that leads to a no-op, never a step or an email that no index points to.
/// </summary>
public sealed class TableEscalationStore(TableServiceClient tables, StorageNames names) : IEscalationStore
{
    public const string EscalationsTable = "escalations";
    public const string IndexTable = "duequeue";
    private const string DuePartition = "due";
    private const string UnsentPartition = "unsent";
    private const string LadderPrefix = "ladder|";
    private const string OutboxPrefix = "outbox|";
    private const string StampFormat = "yyyyMMddHHmmss";

    private TableClient Escalations => tables.GetTableClient(names.Table(EscalationsTable));

    private TableClient Index => tables.GetTableClient(names.Table(IndexTable));

    public async Task<IReadOnlyList<DueEntry>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var upper = Stamp(now) + "~";
        var due = new List<DueEntry>();
        await foreach (var row in Index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {DuePartition} and RowKey lt {upper}"), maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            due.Add(ParseDue(row));

            if (due.Count >= max)
            {
                break;
            }
        }

        return due;
    }

    public async Task ScheduleAsync(IEnumerable<DueEntry> entries, CancellationToken cancellationToken) =>
        await Index.SubmitInChunksAsync(
            entries.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(DuePartition, DueKey(e)))),
            cancellationToken);

    public async Task<Versioned<LadderState>> LadderAsync(AssignmentKey key, CancellationToken cancellationToken)
    {
        var row = await Escalations.GetEntityIfExistsAsync<TableEntity>(key.DirectiveId.Value, LadderKey(key), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e
            ? new Versioned<LadderState>(new LadderState(key, Steps(e)), e.Version())
            : new Versioned<LadderState>(LadderState.Empty(key), null);
    }

    public async Task<Result<bool>> RecordAsync(Versioned<LadderState> ladder, IReadOnlyList<string> steps, IReadOnlyList<OutboxEntry> entries, DateTimeOffset? nextDueAt, DueEntry processed, CancellationToken cancellationToken)
    {
        // 1. Hints first: the sender's index, and where the ladder goes next.
        foreach (var entry in entries)
        {
            await Index.UpsertEntityAsync(new TableEntity(UnsentPartition, $"{entry.Scope}|{entry.Id}"), TableUpdateMode.Replace, cancellationToken);
        }

        var state = ladder.Value;
        if (nextDueAt is { } next)
        {
            await Index.UpsertEntityAsync(new TableEntity(DuePartition, DueKey(new DueEntry(state.Key, next))), TableUpdateMode.Replace, cancellationToken);
        }

        // 2. The ladder and its emails, atomically.
        var row = new TableEntity(state.Key.DirectiveId.Value, LadderKey(state.Key))
        {
            ["Recorded"] = string.Join(',', state.Recorded.Concat(steps).Distinct().Order(StringComparer.Ordinal)),
        };
        var actions = new List<TableTransactionAction> { TableExtensions.Conditional(row, ladder.Version) };
        actions.AddRange(entries.Select(e => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(e))));
        try
        {
            await Escalations.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return Error.Conflict("concurrent-decision", "Another run recorded this step first.");
        }

        // 3. The processed index entry is done with.
        await RemoveDueAsync(processed, nextDueAt, cancellationToken);
        return true;
    }

    public async Task RescheduleAsync(DueEntry processed, DateTimeOffset? nextDueAt, CancellationToken cancellationToken)
    {
        if (nextDueAt is { } next)
        {
            await Index.UpsertEntityAsync(new TableEntity(DuePartition, DueKey(new DueEntry(processed.Key, next))), TableUpdateMode.Replace, cancellationToken);
        }

        await RemoveDueAsync(processed, nextDueAt, cancellationToken);
    }

    public async Task<bool> AddOfficeEntryAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        await Index.UpsertEntityAsync(new TableEntity(UnsentPartition, $"{entry.Scope}|{entry.Id}"), TableUpdateMode.Replace, cancellationToken);
        try
        {
            await Escalations.AddEntityAsync(ToEntity(entry), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<LadderState>> LaddersAsync(DirectiveId directive, CancellationToken cancellationToken)
    {
        var ladders = new List<LadderState>();
        await foreach (var row in Escalations.QueryPrefixAsync(directive.Value, LadderPrefix, cancellationToken))
        {
            var parts = row.RowKey.Split('|');
            if (parts.Length != 3)
            {
                throw CorruptRowException.For(row, "RowKey", "is not ladder|{task}|{unit}");
            }

            ladders.Add(new LadderState(new AssignmentKey(directive, row.Parsed("RowKey", parts[1], t => TaskId.Parse(t)), row.Parsed("RowKey", parts[2], u => UnitId.Parse(u))), Steps(row)));
        }

        return ladders;
    }

    public async Task<IReadOnlyList<OutboxEntry>> OutboxAsync(string scope, CancellationToken cancellationToken)
    {
        var entries = new List<OutboxEntry>();
        await foreach (var row in Escalations.QueryPrefixAsync(scope, OutboxPrefix, cancellationToken))
        {
            entries.Add(ToEntry(row));
        }

        return entries.OrderBy(e => e.CreatedAt).ToList();
    }

    public async Task<IReadOnlyList<Versioned<OutboxEntry>>> UnsentAsync(int max, CancellationToken cancellationToken)
    {
        var entries = new List<Versioned<OutboxEntry>>();
        await foreach (var hint in Index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {UnsentPartition}"), cancellationToken: cancellationToken))
        {
            var split = hint.RowKey.IndexOf('|', StringComparison.Ordinal);
            var row = await Escalations.GetEntityIfExistsAsync<TableEntity>(hint.RowKey[..split], OutboxPrefix + hint.RowKey[(split + 1)..], cancellationToken: cancellationToken);
            if (row.HasValue && row.Value is { } e && ToEntry(e) is { State: OutboxState.Pending } entry)
            {
                entries.Add(new Versioned<OutboxEntry>(entry, e.Version()));
            }
            else
            {
                // Settled already, or a hint whose transaction never committed: nothing to send.
                await Index.DeleteEntityAsync(UnsentPartition, hint.RowKey, ETag.All, cancellationToken);
            }

            if (entries.Count >= max)
            {
                break;
            }
        }

        return entries.OrderBy(e => e.Value.CreatedAt).ToList();
    }

    public async Task<Result<bool>> UpdateOutboxAsync(OutboxEntry entry, StoredVersion? readAt, CancellationToken cancellationToken)
    {
        var written = await Escalations.WriteConditionallyAsync(ToEntity(entry), readAt, cancellationToken);
        if (written.IsSuccess && entry.State != OutboxState.Pending)
        {
            await Index.DeleteEntityAsync(UnsentPartition, $"{entry.Scope}|{entry.Id}", ETag.All, cancellationToken);
        }

        return written;
    }

    private async Task RemoveDueAsync(DueEntry processed, DateTimeOffset? nextDueAt, CancellationToken cancellationToken)
    {
        var old = DueKey(processed);
        if (nextDueAt is { } next && DueKey(new DueEntry(processed.Key, next)) == old)
        {
            return;
        }

        await Index.DeleteEntityAsync(DuePartition, old, ETag.All, cancellationToken);
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString(StampFormat, CultureInfo.InvariantCulture);

    private static string DueKey(DueEntry e) => $"{Stamp(e.DueAt)}|{e.Key.DirectiveId}|{e.Key.TaskId}|{e.Key.UnitId}";

    private static DueEntry ParseDue(TableEntity row)
    {
        var parts = row.RowKey.Split('|');
        if (parts.Length != 4
            || !DateTimeOffset.TryParseExact(parts[0], StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            throw CorruptRowException.For(row, "RowKey", "is not {time}|{directive}|{task}|{unit}");
        }

        return new DueEntry(
            new AssignmentKey(row.Parsed("RowKey", parts[1], DirectiveId.Parse), row.Parsed("RowKey", parts[2], TaskId.Parse), row.Parsed("RowKey", parts[3], u => UnitId.Parse(u))),
            at);
    }

    private static string LadderKey(AssignmentKey key) => $"{LadderPrefix}{key.TaskId}|{key.UnitId}";

    private static HashSet<string> Steps(TableEntity e) =>
        e.RequiredString("Recorded").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    private static TableEntity ToEntity(OutboxEntry e) => new(e.Scope, OutboxPrefix + e.Id)
    {
        ["Step"] = e.Step,
        ["TaskId"] = e.TaskId,
        ["UnitId"] = e.UnitId,
        ["To"] = JsonSerializer.Serialize(e.To.Select(a => a.Value).ToList(), EscalationJson.Default.ListString),
        ["Cc"] = JsonSerializer.Serialize(e.Cc.Select(a => a.Value).ToList(), EscalationJson.Default.ListString),
        ["Subject"] = e.Content.Subject,
        ["Text"] = e.Content.Text,
        ["Html"] = e.Content.Html,
        ["State"] = e.State.ToString(),
        ["Attempts"] = e.Attempts,
        ["CreatedAt"] = e.CreatedAt,
        ["NextAttemptAt"] = e.NextAttemptAt,
        ["SentAt"] = e.SentAt,
        ["Result"] = e.Result,
    };

    private static OutboxEntry ToEntry(TableEntity e) => new()
    {
        Id = e.RowKey[OutboxPrefix.Length..],
        Scope = e.PartitionKey,
        Step = e.RequiredString("Step"),
        TaskId = e.OptionalString("TaskId"),
        UnitId = e.OptionalString("UnitId"),
        To = Addresses(e, "To"),
        Cc = Addresses(e, "Cc"),
        Content = new EmailContent(e.RequiredString("Subject"), e.RequiredString("Text"), e.RequiredString("Html")),
        State = e.RequiredEnum<OutboxState>("State"),
        Attempts = e.RequiredInt("Attempts"),
        CreatedAt = e.RequiredInstant("CreatedAt"),
        NextAttemptAt = e.OptionalInstant("NextAttemptAt"),
        SentAt = e.OptionalInstant("SentAt"),
        Result = e.OptionalString("Result"),
    };

    /// <summary>A stored list of addresses (JSON); every one must still be an address.</summary>
    private static List<EmailAddress> Addresses(TableEntity e, string field) =>
        e.RequiredJson(field, EscalationJson.Default.ListString).Select(a => e.Parsed(field, a, v => EmailAddress.Parse(v))).ToList();
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<string>))]
internal sealed partial class EscalationJson : System.Text.Json.Serialization.JsonSerializerContext;
