using System.Text.Json;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Shared.Wire;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// Directives in table <c>directives</c>, one partition per directive (PartitionKey = the
/// server-made directive id):
/// <list type="bullet">
/// <item>RowKey <c>a|{taskId}|{unitId}</c>: one row per assignment (task × unit) — the rows the
/// deadline check will keep its escalation state on, found by one range query per directive;</item>
/// <item>RowKey <c>directive</c>: the header (number, date, issuer, subject, tasks without their
/// units), written last, so a directive exists only once all its assignments do.</item>
/// </list>
/// A copy of each header sits in partition <c>all</c> (RowKey = directive id) so the office's
/// list is one partition query, not a table scan.
/// <para>
/// A registration under way is noted in partition <c>registering</c> (RowKey = directive id: who
/// registers it, since when) before its assignments are written, and the note is removed once the
/// directive is whole (<see cref="RegistrationDesk"/> orders the writes around the due-time index
/// and repairs what a crash left, from these notes). The header is written after the assignments,
/// the list copy after the header: a directive in the list always has its header, and one with a
/// header always has its assignments.
/// </para>
/// <para>
/// An edit (<see cref="IDirectiveEditStore"/>) replaces the header conditionally on the ETag it was
/// read with, in one transaction with the assignment rows it adds (with their role) or marks taken
/// off (<c>WithdrawnAt</c>, <c>WithdrawnBy</c>, <c>WithdrawnReason</c>: the unit's link no longer
/// takes reports on the task) and the change for the history (RowKey <c>c|{revision:000000}</c>);
/// the list's copy follows. An assignment row's <c>Role</c> is <c>chu-tri</c> or <c>phoi-hop</c>, absent when none is stated.
/// </para>
/// </summary>
public sealed class TableDirectiveStore(TableServiceClient tables, StorageNames names, TimeProvider? time = null) : IDirectiveStore, IDirectiveEditStore
{
    private const string ChangePrefix = "c|";

    public const string TableName = "directives";
    private const string HeaderRow = "directive";
    private const string ListPartition = "all";
    private const string AssignmentPrefix = "a|";
    private const string RegisteringPartition = "registering";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task CreateAsync(Directive directive, CancellationToken cancellationToken)
    {
        await WriteAssignmentsAsync(directive, cancellationToken);
        await PublishAsync(directive, cancellationToken);
    }

    public async Task BeginAsync(PendingRegistration pending, Directive directive, CancellationToken cancellationToken)
    {
        await Table.UpsertEntityAsync(
            new TableEntity(RegisteringPartition, pending.Id.Value)
            {
                ["ActorKind"] = pending.Actor.Kind.ToString(),
                ["ActorId"] = pending.Actor.Id,
                ["ActorName"] = pending.Actor.Name,
                ["StartedAt"] = pending.StartedAt,
            },
            TableUpdateMode.Replace,
            cancellationToken);
        await WriteAssignmentsAsync(directive, cancellationToken);
    }

    /// <summary>
    /// Header, then list copy. The header is only added: when a retry or the repair publishes again a
    /// directive whose header was written (and perhaps edited since, from the office's board), the
    /// stored header stays and the list copies it — an edit is never undone by a late repair.
    /// </summary>
    public async Task PublishAsync(Directive directive, CancellationToken cancellationToken)
    {
        var listed = Header(directive, ListPartition, directive.Id.Value);
        try
        {
            await Table.AddEntityAsync(Header(directive, directive.Id.Value, HeaderRow), cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 409)
        {
            // The list's copy is the header under other keys: the stored header's row, not the whole directive, is read.
            var stored = await Table.GetEntityIfExistsAsync<TableEntity>(directive.Id.Value, HeaderRow, cancellationToken: cancellationToken);
            if (stored.HasValue && stored.Value is { } header)
            {
                listed = new TableEntity(ListPartition, directive.Id.Value);
                foreach (var (column, value) in header.Where(c => c.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")))
                {
                    listed[column] = value;
                }
            }
        }

        await Table.UpsertEntityAsync(listed, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task FinishAsync(DirectiveId id, StoredVersion? readAt, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(RegisteringPartition, id.Value, readAt is { } v ? new Azure.ETag(v.Token) : Azure.ETag.All, cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Already finished, or noted again by a retry since it was read: that retry finishes it.
        }
    }

    public async Task<Versioned<PendingRegistration>?> PendingAsync(DirectiveId id, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(RegisteringPartition, id.Value, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e ? ToPending(e) : null;
    }

    public async Task<IReadOnlyList<Versioned<PendingRegistration>>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        var notes = new List<Versioned<PendingRegistration>>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {RegisteringPartition}"), cancellationToken: cancellationToken))
        {
            notes.Add(ToPending(row));
        }

        return notes.OrderBy(n => n.Value.StartedAt).ToList();
    }

    private static Versioned<PendingRegistration> ToPending(TableEntity e) => new(
        new PendingRegistration(
            e.Parsed("RowKey", e.RowKey, DirectiveId.Parse),
            new Domain.Audit.AuditActor(e.RequiredEnum<Domain.Audit.ActorKind>("ActorKind"), e.RequiredString("ActorId"), e.RequiredString("ActorName")),
            e.RequiredInstant("StartedAt")),
        e.Version());

    private async Task WriteAssignmentsAsync(Directive directive, CancellationToken cancellationToken)
    {
        var partition = directive.Id.Value;
        var assignments = directive.Tasks.SelectMany(t => t.Units.Select(u => new TableTransactionAction(
            TableTransactionActionType.UpsertReplace,
            new TableEntity(partition, $"{AssignmentPrefix}{t.Id}|{u}")
            {
                ["TaskId"] = t.Id.Value,
                ["UnitId"] = u.Value,
                ["DeadlineAt"] = t.Deadline?.PassesAt,
                ["CoveredBy"] = t.Statistics?.CoveredBy.TryGetValue(u, out var by) == true ? by.Value : null,
                ["Role"] = t.RoleOf(u) is { } role ? WireFormat.Name(role) : null,
            })));
        await Table.SubmitInChunksAsync(assignments, cancellationToken);
    }

    /// <summary>
    /// A read is kept in memory for <see cref="CachedFor"/>: every unit's post and page then costs no
    /// directive read after the first. An edit on this instance drops its copy at once; other
    /// instances see it once their copy is older than <see cref="CachedFor"/>. Bounded: past
    /// <see cref="MaxCached"/> directives, reads go to the table again.
    /// </summary>
    public const int MaxCached = 5_000;

    /// <summary>How long a directive read is reused before it is read again (an edit made on another instance shows after at most this long).</summary>
    public static readonly TimeSpan CachedFor = TimeSpan.FromSeconds(30);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<DirectiveId, (Directive Directive, DateTimeOffset ReadAt)> _cache = new();

    private TimeProvider Clock => time ?? TimeProvider.System;

    public Task<Directive?> GetAsync(DirectiveId id, CancellationToken cancellationToken) => GetAsync(id, 0, cancellationToken);

    public async Task<Directive?> GetAsync(DirectiveId id, int revision, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        if (_cache.TryGetValue(id, out var cached) && now - cached.ReadAt < CachedFor && now >= cached.ReadAt && cached.Directive.Revision >= revision)
        {
            return cached.Directive;
        }

        var directive = (await ReadAsync(id, cancellationToken))?.Value;
        if (directive is not null && (_cache.Count < MaxCached || _cache.ContainsKey(id)))
        {
            _cache[id] = (directive, now);
        }

        return directive;
    }

    public Task<Versioned<Directive>?> GetVersionedAsync(DirectiveId id, CancellationToken cancellationToken) => ReadAsync(id, cancellationToken);

    private async Task<Versioned<Directive>?> ReadAsync(DirectiveId id, CancellationToken cancellationToken)
    {
        var header = await Table.GetEntityIfExistsAsync<TableEntity>(id.Value, HeaderRow, cancellationToken: cancellationToken);
        if (!header.HasValue || header.Value is null)
        {
            return null;
        }

        var units = new Dictionary<string, List<UnitId>>(StringComparer.Ordinal);
        var covered = new Dictionary<string, Dictionary<UnitId, UnitId>>(StringComparer.Ordinal);
        var roles = new Dictionary<string, Dictionary<UnitId, UnitRole>>(StringComparer.Ordinal);
        var withdrawn = new Dictionary<string, Dictionary<UnitId, UnitWithdrawal>>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryPrefixAsync(id.Value, AssignmentPrefix, cancellationToken))
        {
            var taskId = row.RequiredString("TaskId");
            var unit = row.Required("UnitId", u => UnitId.Parse(u));
            if (row.OptionalInstant("WithdrawnAt") is { } withdrawnAt)
            {
                (withdrawn.TryGetValue(taskId, out var off) ? off : withdrawn[taskId] = [])[unit] =
                    new UnitWithdrawal(withdrawnAt, row.RequiredString("WithdrawnBy"), row.OptionalString("WithdrawnReason") ?? string.Empty);
                continue;
            }

            if (!units.TryGetValue(taskId, out var list))
            {
                units[taskId] = list = [];
            }

            list.Add(unit);
            if (row.OptionalString("CoveredBy") is { } by)
            {
                (covered.TryGetValue(taskId, out var map) ? map : covered[taskId] = [])[unit] = row.Parsed("CoveredBy", by, u => UnitId.Parse(u));
            }

            if (row.OptionalString("Role") is { } role)
            {
                (roles.TryGetValue(taskId, out var parts) ? parts : roles[taskId] = [])[unit] =
                    WireFormat.TryParse<UnitRole>(role, out var part) ? part : throw CorruptRowException.For(row, "Role", $"holds '{role}'");
            }
        }

        var directive = ToDirective(header.Value, units);
        return new Versioned<Directive>(
            directive with
            {
                Tasks = directive.Tasks.Select(t =>
                {
                    var task = t.Statistics is { } spec && covered.TryGetValue(t.Id.Value, out var map) ? t with { Statistics = spec with { CoveredBy = map } } : t;
                    return task with
                    {
                        Roles = roles.GetValueOrDefault(t.Id.Value) ?? new Dictionary<UnitId, UnitRole>(),
                        Withdrawn = withdrawn.GetValueOrDefault(t.Id.Value) ?? new Dictionary<UnitId, UnitWithdrawal>(),
                    };
                }).ToList(),
            },
            header.Value.Version());
    }

    public async Task<Result<bool>> SaveEditAsync(DirectiveEdited edited, StoredVersion readAt, CancellationToken cancellationToken)
    {
        var after = edited.After;
        var partition = after.Id.Value;
        var actions = new List<TableTransactionAction> { TableExtensions.Conditional(Header(after, partition, HeaderRow), readAt) };
        foreach (var key in edited.Added)
        {
            var task = after.FindTask(key.TaskId)!;
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, $"{AssignmentPrefix}{key.TaskId}|{key.UnitId}")
            {
                ["TaskId"] = key.TaskId.Value,
                ["UnitId"] = key.UnitId.Value,
                ["DeadlineAt"] = task.Deadline?.PassesAt,
                ["CoveredBy"] = task.Statistics?.CoveredBy.TryGetValue(key.UnitId, out var by) == true ? by.Value : null,
                ["Role"] = task.RoleOf(key.UnitId) is { } role ? WireFormat.Name(role) : null,
            }));
        }

        foreach (var key in edited.Removed)
        {
            var withdrawal = after.FindTask(key.TaskId)!.Withdrawn[key.UnitId];
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity(partition, $"{AssignmentPrefix}{key.TaskId}|{key.UnitId}")
            {
                ["TaskId"] = key.TaskId.Value,
                ["UnitId"] = key.UnitId.Value,
                ["WithdrawnAt"] = withdrawal.At,
                ["WithdrawnBy"] = withdrawal.By,
                ["WithdrawnReason"] = withdrawal.Reason,
            }));
        }

        actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, ChangeKey(edited.Change.Revision))
        {
            ["Change"] = ChangeJson(edited.Change),
        }));

        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return Error.Conflict("concurrent-edit", "Another edit was saved first.");
        }

        _cache.TryRemove(after.Id, out _);
        await Table.UpsertEntityAsync(Header(after, ListPartition, after.Id.Value), TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<DirectiveChange>> ChangesAsync(Directive directive, CancellationToken cancellationToken)
    {
        var changes = new List<DirectiveChange>();
        if (directive.Revision == 0)
        {
            return changes;
        }

        await foreach (var row in Table.QueryPrefixAsync(directive.Id.Value, ChangePrefix, cancellationToken))
        {
            var stored = row.RequiredJson("Change", StoredTaskContext.Default.StoredChange);
            changes.Add(new DirectiveChange(
                stored.Revision,
                stored.At,
                stored.By,
                stored.Reason,
                stored.Lines.Select(l => new ChangeLine(
                    WireFormat.TryParse<DirectiveChangeKind>(l.Kind, out var kind) ? kind : throw CorruptRowException.For(row, "Change", $"holds kind '{l.Kind}'"),
                    l.Task is null ? null : row.Parsed("Change", l.Task, TaskId.Parse),
                    l.Units.Select(u => row.Parsed("Change", u, text => UnitId.Parse(text))).ToList(),
                    l.Before,
                    l.After,
                    l.Text)).ToList()));
        }

        return changes.OrderBy(c => c.Revision).ToList();
    }

    private static string ChangeKey(int revision) => ChangePrefix + revision.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static string ChangeJson(DirectiveChange change)
    {
        var stored = new StoredChange(change.Revision, change.At, change.By, change.Reason, change.Lines.Select(l =>
            new StoredChangeLine(WireFormat.Name(l.Kind), l.Task?.Value, l.Units.Select(u => u.Value).ToList(), l.Before, l.After, l.Text)).ToList());
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonSerializer.Serialize(writer, stored, StoredTaskContext.Default.StoredChange);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public async Task<IReadOnlyList<Directive>> ListAsync(CancellationToken cancellationToken)
    {
        var directives = new List<Directive>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ListPartition}"), cancellationToken: cancellationToken))
        {
            directives.Add(ToDirective(row, null));
        }

        return directives.OrderByDescending(d => d.RegisteredAt).ToList();
    }

    private static TableEntity Header(Directive d, string partition, string row) => new(partition, row)
    {
        ["DirectiveId"] = d.Id.Value,
        ["Number"] = d.Number,
        ["IssuedOn"] = WireFormat.Date(d.IssuedOn),
        ["Issuer"] = d.Issuer,
        ["Subject"] = d.Subject,
        ["RegisteredAt"] = d.RegisteredAt,
        ["Revision"] = d.Revision,
        ["Tasks"] = TasksJson(d.Tasks.Select(t => new StoredTask(t.Id.Value, t.Title, WireFormat.Name(t.Kind), t.Deadline?.PassesAt, t.Units.Count, t.Term?.Days, t.Term is { } term ? WireFormat.Date(term.From) : null, t.Remind, StoredStatistics.Of(t.Statistics))
        {
            Cancelled = t.Cancelled is { } c ? new StoredCancellation(c.At, c.By, c.Reason) : null,
            Extensions = t.Extensions == 0 ? null : t.Extensions,
        }).ToList()),
    };

    /// <summary>
    /// The tasks as JSON, Vietnamese written as is: escaped (\u1ea1 for "ạ") fifty tasks with whole
    /// dispatch items as titles would pass the 32K characters a table string property holds. Only
    /// what JSON itself requires is escaped; the value is never put into HTML. Rows written escaped
    /// before read alike.
    /// </summary>
    private static string TasksJson(List<StoredTask> tasks)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonSerializer.Serialize(writer, tasks, StoredTaskContext.Default.ListStoredTask);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Directive ToDirective(TableEntity e, Dictionary<string, List<UnitId>>? units)
    {
        var tasks = e.RequiredJson("Tasks", StoredTaskContext.Default.ListStoredTask)
            .Select(t => new DirectiveTask(
                e.Parsed("Tasks", t.Id, TaskId.Parse),
                t.Title,
                e.Parsed("Tasks", t.Kind, k => TaskKinds.Parse(k, "kind")),
                t.DeadlineAt is { } at ? new Deadline(at) : null,
                units is null ? [] : units.GetValueOrDefault(t.Id) ?? [],
                TermOf(e, t),
                t.Remind ?? true)
            {
                Statistics = t.Statistics?.ToSpec(e),
                Cancelled = t.Cancelled is { } c ? new TaskCancellation(c.At, c.By, c.Reason) : null,
                Extensions = t.Extensions ?? 0,
            })
            .ToList();
        return new Directive(
            e.Required("DirectiveId", DirectiveId.Parse),
            e.RequiredString("Number"),
            e.Parsed("IssuedOn", e.RequiredString("IssuedOn"), ParseDate),
            e.RequiredString("Issuer"),
            e.RequiredString("Subject"),
            tasks,
            e.RequiredInstant("RegisteredAt"))
        {
            Revision = e.ContainsKey("Revision") ? e.RequiredInt("Revision") : 0,
        };
    }

    /// <summary>A deadline in working days: both halves stored, or neither (a task written before the calendar, or with a date).</summary>
    private static WorkingDaysTerm? TermOf(TableEntity e, StoredTask t) => (t.WorkingDays, t.CountFrom) switch
    {
        (null, null) => null,
        ({ } days, { } from) => e.Parsed("Tasks", from, text => ParseDate(text).Match(date => WorkingDaysTerm.Create(days, date, "Tasks"), error => error)),
        _ => throw CorruptRowException.For(e, "Tasks", $"holds task {t.Id} with half a working-day term"),
    };

    private static Domain.Common.Result<DateOnly> ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
            ? date
            : Domain.Common.Error.Validation("IssuedOn", "invalid-date", "Not an ISO date.");
}

/// <summary>
/// A task in the header; <see cref="DeadlineAt"/> is the deadline at registration, <see cref="WorkingDays"/>
/// and <see cref="CountFrom"/> its term when it is counted in working days (then recounted on every
/// read with the calendar in force); <c>Remind</c> is absent on tasks stored before "không nhắc"
/// existed, which were all reminded about; <c>Statistics</c> on tasks stored before templates were per task (643's).
/// </summary>
/// <c>DeadlineAt</c> is null for a task without a deadline; <c>Cancelled</c> is set once the office
/// cancelled it, <c>Extensions</c> once it extended its deadline (absent: never).
internal sealed record StoredTask(string Id, string Title, string Kind, DateTimeOffset? DeadlineAt, int UnitCount, int? WorkingDays = null, string? CountFrom = null, bool? Remind = null, StoredStatistics? Statistics = null)
{
    public StoredCancellation? Cancelled { get; init; }

    public int? Extensions { get; init; }
}

/// <summary>When, by whom and why the office cancelled a task.</summary>
internal sealed record StoredCancellation(DateTimeOffset At, string By, string Reason);

/// <summary>One edit of the directive as the history keeps it (kinds kebab-case: <c>deadline-extended</c> …).</summary>
internal sealed record StoredChange(int Revision, DateTimeOffset At, string By, string Reason, List<StoredChangeLine> Lines);

internal sealed record StoredChangeLine(string Kind, string? Task, List<string> Units, string? Before, string? After, string Text);
/// <summary>A statistics task's template, rules (bounds as [row, limit], 0-based) and coverage; absent for tasks stored before templates were per task (643's).</summary>
internal sealed record StoredStatistics(string Template, List<int[]> Bounds, bool Totals, string Blanks, string Coverage)
{
    public static StoredStatistics? Of(Domain.Statistics.StatisticsSpec? spec) => spec is null ? null : new(
        spec.Template.Value,
        spec.Rules.Bounds.Select(b => new[] { b.Row, b.Limit }).ToList(),
        spec.Rules.TotalsAreSums,
        WireFormat.Name(spec.Rules.Blanks),
        WireFormat.Name(spec.Coverage));

    public Domain.Statistics.StatisticsSpec ToSpec(TableEntity row) => new(
        row.Parsed("Tasks", Template, t => Domain.Statistics.TemplateId.Parse(t)),
        new Domain.Statistics.TemplateRules(
            Bounds.Select(b => b is [var r, var l] ? new Domain.Statistics.RowBound(r, l) : throw CorruptRowException.For(row, "Tasks", "holds a bound that is not [row, limit]")).ToList(),
            Totals,
            WireFormat.TryParse<Domain.Statistics.BlankCells>(Blanks, out var blanks) ? blanks : throw CorruptRowException.For(row, "Tasks", $"holds blanks '{Blanks}'")),
        WireFormat.TryParse<Domain.Statistics.Coverage>(Coverage, out var coverage) ? coverage : throw CorruptRowException.For(row, "Tasks", $"holds coverage '{Coverage}'"));
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<StoredTask>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(StoredChange))]
internal sealed partial class StoredTaskContext : System.Text.Json.Serialization.JsonSerializerContext;
