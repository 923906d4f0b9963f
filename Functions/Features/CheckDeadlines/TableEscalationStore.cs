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
/// <item>RowKey <c>ladder|{taskId}|{unitId}</c>: the steps recorded for an assignment, each with
/// the email that carried it, and the office's hold (ETag-guarded);</item>
/// <item>RowKey <c>outbox|{notificationId}</c>: an email decided, the assignments it carries, with its sending state.</item>
/// </list>
/// The ladder rows of a directive and its outbox rows share a partition, so recording the steps of
/// up to 90 assignments and the one email that carries them is ONE entity-group transaction: all or
/// nothing, and a second run's transaction fails on an ETag (or on the outbox row that already
/// exists) instead of adding a second email.
/// <para><c>duequeue</c>, the indexes, each one partition:</para>
/// <list type="bullet">
/// <item><c>due</c> / <c>{yyyyMMddHHmmss UTC}|{directive}|{task}|{unit}</c>: when an assignment next
/// needs attention. The check reads <c>RowKey &lt; now</c> — one range query that returns only
/// what is due, whatever the number of assignments.</item>
/// <item><c>unsent</c> / <c>{scope}|{notificationId}</c>: outbox entries not yet settled, so the
/// sender never scans the outbox.</item>
/// <item><c>notices</c> / <c>{directive}</c>: a directive whose units may not all have been told of
/// their tasks yet (<see cref="UnitNotices"/>), with <c>Since</c>; left before the directive is stored,
/// removed once every unit's notice is in the outbox.</item>
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
    private const string NoticesPartition = "notices";
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
            ? new Versioned<LadderState>(ToLadder(e, key), e.Version())
            : new Versioned<LadderState>(LadderState.Empty(key), null);
    }

    public async Task<Result<bool>> RecordAsync(IReadOnlyList<LadderChange> changes, OutboxEntry? email, CancellationToken cancellationToken)
    {
        if (changes.Count == 0 || changes.Count > IEscalationStore.MaxLaddersPerRecording || changes.Select(c => c.After.Key.DirectiveId).Distinct().Count() != 1
            || (email is not null && email.Scope != changes[0].After.Key.DirectiveId.Value))
        {
            throw new ArgumentException("A recording holds 1 to 90 ladders of one directive, and its email belongs to that directive.", nameof(changes));
        }

        // 1. Hints first: the sender's index, and where each ladder goes next.
        if (email is not null)
        {
            await Index.UpsertEntityAsync(new TableEntity(UnsentPartition, $"{email.Scope}|{email.Id}"), TableUpdateMode.Replace, cancellationToken);
        }

        foreach (var change in changes)
        {
            if (change.NextDueAt is { } next)
            {
                await Index.UpsertEntityAsync(new TableEntity(DuePartition, DueKey(new DueEntry(change.After.Key, next))), TableUpdateMode.Replace, cancellationToken);
            }
        }

        // 2. The ladders and their email, atomically.
        var actions = changes.Select(c => TableExtensions.Conditional(ToEntity(c.After), c.Before.Version)).ToList();
        if (email is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, ToEntity(email)));
        }

        try
        {
            await Escalations.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return Error.Conflict("concurrent-decision", "Another run recorded this step first.");
        }

        // 3. The processed index entries are done with.
        foreach (var change in changes.Where(c => c.Processed is not null))
        {
            await RemoveDueAsync(change.Processed!, change.NextDueAt, cancellationToken);
        }

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

            ladders.Add(ToLadder(row, new AssignmentKey(directive, row.Parsed("RowKey", parts[1], t => TaskId.Parse(t)), row.Parsed("RowKey", parts[2], u => UnitId.Parse(u)))));
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

    public async Task<Versioned<OutboxEntry>?> EmailAsync(string scope, string id, CancellationToken cancellationToken)
    {
        var row = await Escalations.GetEntityIfExistsAsync<TableEntity>(scope, OutboxPrefix + id, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? new Versioned<OutboxEntry>(ToEntry(e), e.Version()) : null;
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
        if (entry.State == OutboxState.Pending)
        {
            // Pending again (sent again by the office): back on the sender's index, before the write, as every hint.
            await Index.UpsertEntityAsync(new TableEntity(UnsentPartition, $"{entry.Scope}|{entry.Id}"), TableUpdateMode.Replace, cancellationToken);
        }

        var written = await Escalations.WriteConditionallyAsync(ToEntity(entry), readAt, cancellationToken);
        if (written.IsSuccess && entry.State != OutboxState.Pending)
        {
            await Index.DeleteEntityAsync(UnsentPartition, $"{entry.Scope}|{entry.Id}", ETag.All, cancellationToken);
        }

        return written;
    }

    public async Task<bool> AddEmailAsync(OutboxEntry entry, CancellationToken cancellationToken) => await AddEmailsAsync([entry], cancellationToken) == 1;

    /// <summary>The sender's hints first (as every hint), then the entries: one transaction per 100 when none exists yet, else one by one.</summary>
    public async Task<int> AddEmailsAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return 0;
        }

        if (entries.Select(e => e.Scope).Distinct().Count() != 1)
        {
            throw new ArgumentException("The emails added together belong to one directive.", nameof(entries));
        }

        await Index.SubmitInChunksAsync(entries.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(UnsentPartition, $"{e.Scope}|{e.Id}"))), cancellationToken);
        var added = 0;
        foreach (var chunk in entries.Chunk(100))
        {
            try
            {
                await Escalations.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(e))), cancellationToken);
                added += chunk.Length;
                continue;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409)
            {
                // some are there already (a repair, a second call): each on its own
            }

            foreach (var entry in chunk)
            {
                try
                {
                    await Escalations.AddEntityAsync(ToEntity(entry), cancellationToken);
                    added++;
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    // already in the outbox
                }
            }
        }

        return added;
    }

    public async Task ExpectNoticesAsync(DirectiveId directive, DateTimeOffset at, CancellationToken cancellationToken) =>
        await Index.UpsertEntityAsync(new TableEntity(NoticesPartition, directive.Value) { ["Since"] = at }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<(DirectiveId Directive, DateTimeOffset Since)>> ExpectedNoticesAsync(int max, CancellationToken cancellationToken)
    {
        var hints = new List<(DirectiveId, DateTimeOffset)>();
        await foreach (var row in Index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {NoticesPartition}"), maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            hints.Add((row.Parsed("RowKey", row.RowKey, DirectiveId.Parse), row.RequiredInstant("Since")));
            if (hints.Count >= max)
            {
                break;
            }
        }

        return hints;
    }

    public async Task NoticesDoneAsync(DirectiveId directive, CancellationToken cancellationToken) =>
        await Index.DeleteEntityAsync(NoticesPartition, directive.Value, ETag.All, cancellationToken);

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

    private static TableEntity ToEntity(LadderState ladder) => new(ladder.Key.DirectiveId.Value, LadderKey(ladder.Key))
    {
        ["Recorded"] = string.Join(',', ladder.Recorded.Order(StringComparer.Ordinal)),
        ["Marks"] = JsonSerializer.Serialize(ladder.Marks.ToDictionary(m => m.Key, m => new StoredMark(m.Value.EmailId, m.Value.At, m.Value.NoRecipient ? true : null), StringComparer.Ordinal), EscalationJson.Default.DictionaryStringStoredMark),
        ["HoldThrough"] = ladder.Hold?.Through.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["HoldNote"] = ladder.Hold?.Note,
        ["HoldSetAt"] = ladder.Hold?.SetAt,
    };

    /// <summary>
    /// A ladder row. <c>Recorded</c> lists the steps; <c>Marks</c> says which email carried each and
    /// when it was decided — a row written before marks existed names each step's email by the
    /// one-assignment id it was then given (<see cref="AssignmentKey.NotificationId(LadderStep)"/>).
    /// </summary>
    private static LadderState ToLadder(TableEntity e, AssignmentKey key)
    {
        var recorded = e.RequiredString("Recorded").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var marks = e.OptionalString("Marks") is not null
            ? e.RequiredJson("Marks", EscalationJson.Default.DictionaryStringStoredMark).ToDictionary(m => m.Key, m => new StepMark(m.Value.E, m.Value.At, m.Value.N == true), StringComparer.Ordinal)
            : recorded.ToDictionary(r => r, r => new StepMark(LadderStep.Parse(r) is { } step ? key.NotificationId(step) : null, null), StringComparer.Ordinal);
        if (recorded.Any(r => !marks.ContainsKey(r)))
        {
            throw CorruptRowException.For(e, "Marks", "does not cover every recorded step");
        }

        LadderHold? hold = null;
        if (e.OptionalString("HoldThrough") is { } through)
        {
            hold = new LadderHold(
                e.Parsed("HoldThrough", through, t => DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : Result<DateOnly>.Failure(Error.Validation("HoldThrough", "invalid", "not a date"))),
                e.OptionalString("HoldNote") ?? string.Empty,
                e.RequiredInstant("HoldSetAt"));
        }

        return new LadderState(key, marks, hold);
    }

    private static TableEntity ToEntity(OutboxEntry e) => new(e.Scope, OutboxPrefix + e.Id)
    {
        ["Step"] = e.Step,
        ["Assignments"] = JsonSerializer.Serialize(e.Assignments.Select(a => $"{a.TaskId}|{a.UnitId}").ToList(), EscalationJson.Default.ListString),
        ["Audience"] = e.Audience.ToString(),
        ["To"] = JsonSerializer.Serialize(e.To.Select(a => a.Value).ToList(), EscalationJson.Default.ListString),
        ["Cc"] = JsonSerializer.Serialize(e.Cc.Select(a => a.Value).ToList(), EscalationJson.Default.ListString),
        ["Subject"] = e.Content.Subject,
        ["Text"] = e.Content.Text,
        ["Html"] = e.Content.Html,
        ["State"] = e.State.ToString(),
        ["Note"] = e.Note?.ToString(),
        ["Attempts"] = e.Attempts,
        ["CreatedAt"] = e.CreatedAt,
        ["NextAttemptAt"] = e.NextAttemptAt,
        ["ExpiresAt"] = e.ExpiresAt,
        ["SentAt"] = e.SentAt,
        ["SettledAt"] = e.SettledAt,
        ["Result"] = e.Result,
    };

    /// <summary>
    /// An outbox row. Rows written before emails could carry several assignments hold one
    /// (<c>TaskId</c>, <c>UnitId</c>) and no <c>Audience</c>: the unit for its own steps, the
    /// committees for step 3, the office otherwise.
    /// </summary>
    private static OutboxEntry ToEntry(TableEntity e)
    {
        var step = e.RequiredString("Step");
        var assignments = e.OptionalString("Assignments") is not null
            ? e.RequiredJson("Assignments", EscalationJson.Default.ListString).Select(a => e.Parsed("Assignments", a, text => ParseAssignment(e.PartitionKey, text))).ToList()
            : e.OptionalString("TaskId") is { } task && e.OptionalString("UnitId") is { } unit
                ? [e.Parsed("TaskId", $"{task}|{unit}", text => ParseAssignment(e.PartitionKey, text))]
                : [];
        var audience = e.OptionalString("Audience") is { } stored
            ? e.Parsed("Audience", stored, Audience.Parse)
            : (LadderStep.Parse(step), assignments.Count) switch
            {
                ({ Rung: Rung.Step3 }, _) => Audience.Committees,
                ({ Rung: Rung.Reminder or Rung.Step1 or Rung.Manual }, 1) => Audience.Unit(assignments[0].UnitId),
                _ => Audience.Office,
            };
        return new OutboxEntry
        {
            Id = e.RowKey[OutboxPrefix.Length..],
            Scope = e.PartitionKey,
            Step = step,
            Assignments = assignments,
            Audience = audience,
            To = Addresses(e, "To"),
            Cc = Addresses(e, "Cc"),
            Content = new EmailContent(e.RequiredString("Subject"), e.RequiredString("Text"), e.RequiredString("Html")),
            State = e.RequiredEnum<OutboxState>("State"),
            Note = e.OptionalString("Note") is not null ? e.RequiredEnum<OutboxNote>("Note") : null,
            Attempts = e.RequiredInt("Attempts"),
            CreatedAt = e.RequiredInstant("CreatedAt"),
            NextAttemptAt = e.OptionalInstant("NextAttemptAt"),
            ExpiresAt = e.OptionalInstant("ExpiresAt"),
            SentAt = e.OptionalInstant("SentAt"),
            SettledAt = e.OptionalInstant("SettledAt"),
            Result = e.OptionalString("Result"),
        };
    }

    private static Result<AssignmentKey> ParseAssignment(string scope, string text)
    {
        var parts = text.Split('|');
        return parts.Length == 2 && DirectiveId.Parse(scope) is { IsSuccess: true } directive && TaskId.Parse(parts[0]) is { IsSuccess: true } task && UnitId.Parse(parts[1]) is { IsSuccess: true } unit
            ? new AssignmentKey(directive.Value, task.Value, unit.Value)
            : Error.Validation("Assignments", "invalid", "not task|unit of a directive");
    }

    /// <summary>A stored list of addresses (JSON); every one must still be an address.</summary>
    private static List<EmailAddress> Addresses(TableEntity e, string field) =>
        e.RequiredJson(field, EscalationJson.Default.ListString).Select(a => e.Parsed(field, a, v => EmailAddress.Parse(v))).ToList();
}

/// <summary>A ladder's step as stored in <c>Marks</c>: the email that carried it (<c>e</c>), when it was decided, and <c>n</c> (only when true) that it was skipped for want of a recipient.</summary>
internal sealed record StoredMark(string? E, DateTimeOffset? At, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? N = null);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, StoredMark>))]
internal sealed partial class EscalationJson : System.Text.Json.Serialization.JsonSerializerContext;
