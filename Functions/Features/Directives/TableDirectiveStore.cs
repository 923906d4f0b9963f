using System.Text.Json;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Calendar;
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
/// list is one partition query, not a table scan. Directives are written once and never updated here.
/// </summary>
public sealed class TableDirectiveStore(TableServiceClient tables, StorageNames names) : IDirectiveStore
{
    public const string TableName = "directives";
    private const string HeaderRow = "directive";
    private const string ListPartition = "all";
    private const string AssignmentPrefix = "a|";

    private TableClient Table => tables.GetTableClient(names.Table(TableName));

    public async Task CreateAsync(Directive directive, CancellationToken cancellationToken)
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
            })));
        await Table.SubmitInChunksAsync(assignments, cancellationToken);
        await Table.UpsertEntityAsync(Header(directive, partition, HeaderRow), TableUpdateMode.Replace, cancellationToken);
        await Table.UpsertEntityAsync(Header(directive, ListPartition, directive.Id.Value), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// A directive never changes once registered, so a read is kept in memory: every unit's post and
    /// page then costs no directive read after the first. Bounded: past <see cref="MaxCached"/>
    /// directives, reads go to the table again.
    /// </summary>
    public const int MaxCached = 5_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<DirectiveId, Directive> _cache = new();

    public async Task<Directive?> GetAsync(DirectiveId id, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var directive = await ReadAsync(id, cancellationToken);
        if (directive is not null && _cache.Count < MaxCached)
        {
            _cache.TryAdd(id, directive);
        }

        return directive;
    }

    private async Task<Directive?> ReadAsync(DirectiveId id, CancellationToken cancellationToken)
    {
        var header = await Table.GetEntityIfExistsAsync<TableEntity>(id.Value, HeaderRow, cancellationToken: cancellationToken);
        if (!header.HasValue || header.Value is null)
        {
            return null;
        }

        var units = new Dictionary<string, List<UnitId>>(StringComparer.Ordinal);
        var covered = new Dictionary<string, Dictionary<UnitId, UnitId>>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryPrefixAsync(id.Value, AssignmentPrefix, cancellationToken))
        {
            var taskId = row.RequiredString("TaskId");
            if (!units.TryGetValue(taskId, out var list))
            {
                units[taskId] = list = [];
            }

            var unit = row.Required("UnitId", u => UnitId.Parse(u));
            list.Add(unit);
            if (row.OptionalString("CoveredBy") is { } by)
            {
                (covered.TryGetValue(taskId, out var map) ? map : covered[taskId] = [])[unit] = row.Parsed("CoveredBy", by, u => UnitId.Parse(u));
            }
        }

        var directive = ToDirective(header.Value, units);
        return directive with
        {
            Tasks = directive.Tasks.Select(t => t.Statistics is { } spec && covered.TryGetValue(t.Id.Value, out var map) ? t with { Statistics = spec with { CoveredBy = map } } : t).ToList(),
        };
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
        ["Tasks"] = TasksJson(d.Tasks.Select(t => new StoredTask(t.Id.Value, t.Title, WireFormat.Name(t.Kind), t.Deadline?.PassesAt, t.Units.Count, t.Term?.Days, t.Term is { } term ? WireFormat.Date(term.From) : null, t.Remind, StoredStatistics.Of(t.Statistics))).ToList()),
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
            })
            .ToList();
        return new Directive(
            e.Required("DirectiveId", DirectiveId.Parse),
            e.RequiredString("Number"),
            e.Parsed("IssuedOn", e.RequiredString("IssuedOn"), ParseDate),
            e.RequiredString("Issuer"),
            e.RequiredString("Subject"),
            tasks,
            e.RequiredInstant("RegisteredAt"));
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
internal sealed record StoredTask(string Id, string Title, string Kind, DateTimeOffset? DeadlineAt, int UnitCount, int? WorkingDays = null, string? CountFrom = null, bool? Remind = null, StoredStatistics? Statistics = null);
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
internal sealed partial class StoredTaskContext : System.Text.Json.Serialization.JsonSerializerContext;
