using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>The consolidated figures of a statistics task: the sum over units of each unit's latest accepted report, and how many units that is.</summary>
public sealed record Totals(int Reported, int[,] Values)
{
    public static Totals Empty => new(0, new int[StatisticsTemplate.RowCount, StatisticsTemplate.ColumnCount]);

    public int[][] ToRows() => new StatisticsReport(Values, null).ToRows();

    /// <summary>
    /// The totals once a unit's figures go from <paramref name="before"/> (none if it had not
    /// reported) to <paramref name="after"/>: O(1) work, so storage can apply it under an ETag
    /// instead of re-reading every unit.
    /// </summary>
    public Totals Replace(int[,]? before, int[,] after)
    {
        var values = (int[,])Values.Clone();
        for (var r = 0; r < StatisticsTemplate.RowCount; r++)
        {
            for (var c = 0; c < StatisticsTemplate.ColumnCount; c++)
            {
                values[r, c] += after[r, c] - (before?[r, c] ?? 0);
            }
        }

        return new Totals(Reported + (before is null ? 1 : 0), values);
    }

    /// <summary>The totals recomputed from every unit's figures in force (the reference the incremental path must equal).</summary>
    public static Totals Recompute(IEnumerable<int[,]> inForce)
    {
        var totals = Empty;
        foreach (var figures in inForce)
        {
            totals = totals.Replace(null, figures);
        }

        return totals;
    }

    public bool SameAs(Totals other) =>
        Reported == other.Reported && Values.Cast<int>().SequenceEqual(other.Values.Cast<int>());
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

/// <summary>One assigned unit's line of the consolidated report: its state, its figures in force, and its latest upload.</summary>
public sealed record UnitReport(UnitId UnitId, UnitReportState State, int[,]? Values, Upload? Latest);

/// <summary>
/// A statistics task's consolidated report: the totals of the figures in force and, for each
/// assigned unit in the directive's order, whether it reported. A unit whose latest file was
/// rejected but which has earlier figures in force counts as reported (its figures still count).
/// </summary>
public sealed record ConsolidatedReport(Directive Directive, DirectiveTask Task, Totals Totals, IReadOnlyList<UnitReport> Units)
{
    public int Count(UnitReportState state) => Units.Count(u => u.State == state);

    public static ConsolidatedReport Of(Directive directive, DirectiveTask task, IReadOnlyList<UnitFigures> figures, Totals totals, IReadOnlyList<Upload> uploads)
    {
        var inForce = figures.ToDictionary(f => f.UnitId);
        var latest = uploads.GroupBy(u => u.UnitId).ToDictionary(g => g.Key, g => g.MaxBy(u => u.Id.Value, StringComparer.Ordinal)!);
        var units = task.Units.Select(u =>
        {
            var last = latest.GetValueOrDefault(u);
            var values = inForce.GetValueOrDefault(u)?.Values;
            var state = values is not null ? UnitReportState.Accepted : last?.State == UploadState.Rejected ? UnitReportState.Rejected : UnitReportState.Missing;
            return new UnitReport(u, state, values, last);
        }).ToList();
        return new ConsolidatedReport(directive, task, totals, units);
    }

    /// <summary>The report of directive <paramref name="id"/>'s statistics task <paramref name="taskId"/> (or its first one); not found when either does not exist.</summary>
    public static async Task<Result<ConsolidatedReport>> ReadAsync(string id, string? taskId, IDirectiveStore directives, IStatisticsStore store, CancellationToken cancellationToken)
    {
        var directiveId = DirectiveId.Parse(id);
        var directive = directiveId.IsSuccess ? await directives.GetAsync(directiveId.Value, cancellationToken) : null;
        var task = directive?.Tasks.FirstOrDefault(t => t.Kind == TaskKind.Statistics && (taskId is null || t.Id.Value == taskId));
        if (directive is null || task is null)
        {
            return Error.NotFound("statistics-not-found", "Không tìm thấy công văn có nhiệm vụ báo cáo thống kê này.");
        }

        var (figures, totals) = await store.ConsolidatedAsync(directive.Id, task.Id, cancellationToken);
        var uploads = await store.UploadsAsync(directive.Id, task.Id, cancellationToken);
        return Of(directive, task, figures, totals, uploads);
    }
}
