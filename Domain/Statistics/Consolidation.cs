using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>
/// The consolidated figures of a statistics task (or of one shard of it): the sum over units of each
/// unit's figures in force, and how many units that is. Sums are <see cref="long"/>: a province's
/// thousands of units cannot overflow them. An empty <see cref="Values"/> is all zeros, of any shape.
/// </summary>
public sealed record Totals(int Reported, long[,] Values)
{
    public static Totals Empty { get; } = new(0, new long[0, 0]);

    public static Totals Zero(int rows, int columns) => new(0, new long[rows, columns]);

    public long[][] ToRows() => Grid.Rows(Values);

    /// <summary>These totals in the template's shape (zeros when nothing was added yet).</summary>
    public Totals Shaped(int rows, int columns) => Values.Length == 0 ? Zero(rows, columns) with { Reported = Reported } : this;

    /// <summary>
    /// The totals once a unit's figures go from <paramref name="before"/> (none if it had not
    /// reported) to <paramref name="after"/>: O(1) work, so storage can apply it under an ETag
    /// instead of re-reading every unit.
    /// </summary>
    public Totals Replace(int[,]? before, int[,] after)
    {
        var values = Values.Length == 0 ? new long[after.GetLength(0), after.GetLength(1)] : (long[,])Values.Clone();
        for (var r = 0; r < values.GetLength(0); r++)
        {
            for (var c = 0; c < values.GetLength(1); c++)
            {
                values[r, c] += after[r, c] - (long)(before?[r, c] ?? 0);
            }
        }

        return new Totals(Reported + (before is null ? 1 : 0), values);
    }

    /// <summary>These totals and <paramref name="other"/>'s added (the shards of a task into its totals).</summary>
    public Totals Plus(Totals other)
    {
        if (other.Values.Length == 0 || Values.Length == 0)
        {
            return new Totals(Reported + other.Reported, Values.Length == 0 ? other.Values : Values);
        }

        var values = (long[,])Values.Clone();
        for (var r = 0; r < values.GetLength(0); r++)
        {
            for (var c = 0; c < values.GetLength(1); c++)
            {
                values[r, c] += other.Values[r, c];
            }
        }

        return new Totals(Reported + other.Reported, values);
    }

    /// <summary>The totals recomputed from every counted unit's figures in force (the reference the incremental path must equal).</summary>
    public static Totals Recompute(IEnumerable<int[,]> inForce)
    {
        var totals = Empty;
        foreach (var figures in inForce)
        {
            totals = totals.Replace(null, figures);
        }

        return totals;
    }

    /// <summary>The same count and the same sums (an empty grid equals zeros).</summary>
    public bool SameAs(Totals other)
    {
        if (Reported != other.Reported)
        {
            return false;
        }

        if (Values.Length == 0 || other.Values.Length == 0)
        {
            return Values.Cast<long>().All(v => v == 0) && other.Values.Cast<long>().All(v => v == 0);
        }

        return Values.GetLength(0) == other.Values.GetLength(0) && Values.Cast<long>().SequenceEqual(other.Values.Cast<long>());
    }
}

/// <summary>
/// Which figures a row of storage keeps: those in force now, or those in force at the task's deadline
/// (from uploads received before it). An upload received after the deadline changes only the current
/// track, so the figures at the deadline ("số liệu tại hạn") are frozen without any timer.
/// </summary>
public enum FiguresTrack
{
    Current,
    AtDeadline,
}

/// <summary>
/// How a task's totals are kept: in <see cref="Shards"/> rows, each unit adding to the one
/// <see cref="ShardOf"/> names, so units uploading at once rarely write the same row; the totals
/// are the shards' sum.
/// </summary>
public static class Consolidation
{
    public const int Shards = 16;

    /// <summary>The shard of <paramref name="unit"/> among <paramref name="shards"/>: FNV-1a of its id, stable across processes and versions.</summary>
    public static int ShardOf(UnitId unit, int shards = Shards)
    {
        var hash = 2166136261u;
        foreach (var ch in unit.Value)
        {
            hash = (hash ^ ch) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }
}

/// <summary>
/// An upload's id: the instant it was received (UTC, to the millisecond) and a random suffix,
/// so ids sort by arrival and the newest upload can be told from an older one processed later.
/// </summary>
public readonly partial record struct UploadId
{
    private UploadId(string value) => Value = value;

    public string Value { get; }

    public static UploadId New(DateTimeOffset receivedAt) =>
        new($"{receivedAt.UtcDateTime:yyyyMMddHHmmssfff}-{System.Security.Cryptography.RandomNumberGenerator.GetHexString(8, lowercase: true)}");

    public static UploadId? Parse(string? text) =>
        text is not null && Grammar().IsMatch(text) ? new UploadId(text) : null;

    /// <summary>Whether this upload arrived after <paramref name="other"/>: the newer upload is the one in force.</summary>
    public bool IsNewerThan(UploadId other) => string.CompareOrdinal(Value, other.Value) > 0;

    public override string ToString() => Value;

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]{17}-[0-9a-f]{8}$")]
    private static partial System.Text.RegularExpressions.Regex Grammar();
}

/// <summary>Where a unit stands on a statistics task: figures in force, its last file rejected (and none in force), or nothing yet.</summary>
public enum UnitReportState
{
    Accepted,
    Rejected,
    Missing,
}

/// <summary>
/// One assigned unit's line of the consolidated report: its state, its figures in force (now and at
/// the deadline), its latest upload and the one in force, and the unit whose figures already include
/// its own (a branch-covering task), if any.
/// </summary>
public sealed record UnitReport(UnitId UnitId, UnitReportState State, int[,]? Values, Upload? Latest)
{
    public int[,]? ValuesAtDeadline { get; init; }

    public Upload? InForce { get; init; }

    public UnitId? CoveredBy { get; init; }

    /// <summary>Whether the figures in force came after the deadline (they count in the current totals only).</summary>
    public bool Late { get; init; }
}

/// <summary>
/// A statistics task's consolidated report: its template, the totals of the figures in force now and
/// at the deadline, and for each assigned unit in the directive's order whether it reported. A unit
/// whose latest file was rejected but which has earlier figures in force counts as reported (its
/// figures still count).
/// </summary>
public sealed record ConsolidatedReport(Directive Directive, DirectiveTask Task, Totals Totals, IReadOnlyList<UnitReport> Units)
{
    public ReportTemplate Template { get; init; } = ReportTemplate.Official643;

    public StatisticsSpec Spec { get; init; } = StatisticsSpec.Official643;

    /// <summary>The totals of the figures in force when the deadline passed ("số liệu tại hạn").</summary>
    public Totals TotalsAtDeadline { get; init; } = Totals.Empty;

    public bool DeadlinePassed { get; init; }

    public int Count(UnitReportState state) => Units.Count(u => u.State == state);

    public static ConsolidatedReport Of(Directive directive, DirectiveTask task, ReportTemplate template, Consolidated consolidated, IReadOnlyList<Upload> uploads, DateTimeOffset now)
    {
        var spec = task.StatisticsOrDefault;
        var inForce = consolidated.Current.Figures.ToDictionary(f => f.UnitId);
        var atDeadline = consolidated.AtDeadline.Figures.ToDictionary(f => f.UnitId);
        var byId = uploads.ToDictionary(u => u.Id);
        var latest = uploads.GroupBy(u => u.UnitId).ToDictionary(g => g.Key, g => g.MaxBy(u => u.Id.Value, StringComparer.Ordinal)!);
        var units = task.Units.Select(u =>
        {
            var last = latest.GetValueOrDefault(u);
            var current = inForce.GetValueOrDefault(u);
            var used = current is null ? null : byId.GetValueOrDefault(current.UploadId);
            var state = current is not null ? UnitReportState.Accepted : last?.State == UploadState.Rejected ? UnitReportState.Rejected : UnitReportState.Missing;
            return new UnitReport(u, state, current?.Values, last)
            {
                ValuesAtDeadline = atDeadline.GetValueOrDefault(u)?.Values,
                InForce = used,
                CoveredBy = spec.CoveredBy.TryGetValue(u, out var by) ? by : null,
                Late = used is not null && task.IsPastDeadline(used.ReceivedAt),
            };
        }).ToList();
        return new ConsolidatedReport(directive, task, consolidated.Current.Totals.Shaped(template.RowCount, template.ColumnCount), units)
        {
            Template = template,
            Spec = spec,
            TotalsAtDeadline = consolidated.AtDeadline.Totals.Shaped(template.RowCount, template.ColumnCount),
            DeadlinePassed = task.IsPastDeadline(now),
        };
    }

    /// <summary>The report of directive <paramref name="id"/>'s statistics task <paramref name="taskId"/> (or its first one); not found when either does not exist.</summary>
    public static async Task<Result<ConsolidatedReport>> ReadAsync(
        string id, string? taskId, IDirectiveStore directives, IStatisticsStore store, ReportTemplates templates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var directiveId = DirectiveId.Parse(id);
        var directive = directiveId.IsSuccess ? await directives.GetAsync(directiveId.Value, cancellationToken) : null;
        var task = directive?.Tasks.FirstOrDefault(t => t.Kind == TaskKind.Statistics && (taskId is null || t.Id.Value == taskId));
        if (directive is null || task is null)
        {
            return Error.NotFound("statistics-not-found", "Không tìm thấy công văn có nhiệm vụ báo cáo thống kê này.");
        }

        var template = await templates.GetAsync(task.StatisticsOrDefault.Template, cancellationToken)
            ?? throw new InvalidOperationException($"Template {task.StatisticsOrDefault.Template} of {directive.Id}/{task.Id} is missing.");
        var consolidated = await store.ConsolidatedAsync(directive.Id, task.Id, cancellationToken);
        var uploads = await store.UploadsAsync(directive.Id, task.Id, cancellationToken);
        return Of(directive, task, template, consolidated, uploads, now);
    }
}
