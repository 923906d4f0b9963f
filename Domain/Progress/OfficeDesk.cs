using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Progress;

/// <summary>A directive in the office's list, with its overall rates now.</summary>
public sealed record DirectiveStanding(Directive Directive, ProgressRates Rates);

/// <summary>A unit on the office's units page: its record over the period asked for (<see cref="Unit"/> null when it is no longer in the list of units).</summary>
public sealed record UnitStanding(UnitId UnitId, Unit? Unit, UnitRecord Record)
{
    public string Name => Unit?.Name ?? UnitId.Value;
}

/// <summary>One task of a unit's record: the directive, the task, and where the unit stands on it now.</summary>
public sealed record UnitTaskLine(Directive Directive, DirectiveTask Task, AssignmentStanding Standing);

/// <summary>
/// What the office's pages read, from the read models that <see cref="ProgressProjector"/> keeps:
/// the list of directives (two queries, whatever their number), a directive's board (its shards,
/// one query), the units' records for a period (one query). Where a read model is not complete yet
/// — a directive registered before read models existed, or one whose building was cut short, until
/// the repair sweep builds it — the answer is computed from the versions, as it was before.
/// </summary>
public sealed class OfficeDesk(IDirectiveStore directives, IProgressStore progress, ISubmissionLedger ledger, DirectiveRegistry registry, ICalendarSource calendars, TimeProvider time)
{
    /// <summary>The unit days late and overdue are counted in (the office's choice).</summary>
    public DayUnit CountDaysIn => calendars.CountDaysIn;

    /// <summary>Points reads of one page run at most this many at once.</summary>
    private const int Parallel = 16;

    /// <summary>Every directive, newest first, with its rates now.</summary>
    public async Task<IReadOnlyList<DirectiveStanding>> DirectivesAsync(CancellationToken cancellationToken)
    {
        var headers = directives.ListAsync(cancellationToken);
        var tallies = progress.TalliesAsync(cancellationToken);
        var complete = (await tallies).Where(t => t.IsComplete).ToDictionary(t => t.Directive);
        var now = time.GetUtcNow();
        var rows = new List<DirectiveStanding>();
        foreach (var header in (await headers).OrderByDescending(d => d.RegisteredAt))
        {
            if (complete.TryGetValue(header.Id, out var tally) && tally.IsCurrentFor(header))
            {
                rows.Add(new DirectiveStanding(header, tally.Rates(header.Tasks, now)));
            }
            else
            {
                // No counts yet, or counts of before an edit whose read models were cut short: from the versions.
                var view = await registry.ViewAsync(header.Id.Value, cancellationToken);
                rows.Add(new DirectiveStanding(header, DirectiveProgress.RatesOf(view.IsSuccess ? view.Value.Assignments : [])));
            }
        }

        return rows;
    }

    /// <summary>
    /// A directive's assignments and where each stands now, from its board's shards; a shard with a
    /// hint not yet cleared (a post following it right now, or one cut short) is built on the spot from
    /// its assignments' progress, so the board never shows less than what was stored.
    /// </summary>
    public async Task<Result<DirectiveView>> ViewAsync(string? id, UnitTree tree, CancellationToken cancellationToken)
    {
        var directiveId = DirectiveId.Parse(id);
        if (!directiveId.IsSuccess || await directives.GetAsync(directiveId.Value, cancellationToken) is not { } directive)
        {
            return Error.NotFound("directive-not-found", "Không tìm thấy công văn.");
        }

        var boardTask = progress.BoardAsync(directive.Id, cancellationToken);
        var hintsTask = ledger.HintsAsync(directive.Id, cancellationToken);
        var shards = (await boardTask).ToDictionary(b => b.Shard);
        if (shards.Count < UnitShard.Count)
        {
            return await registry.ViewAsync(id, cancellationToken);
        }

        // Shards built after an edit this instance has not read yet: the directive is read again.
        if (shards.Values.Max(b => b.Revision) is var newest && newest > directive.Revision
            && await directives.GetAsync(directive.Id, newest, cancellationToken) is { } current)
        {
            directive = current;
        }

        // A shard with a hint not yet cleared, or built before the directive's last edit (its read
        // models cut short, until the sweep): built on the spot from its assignments' progress.
        var stale = shards.Values.Where(b => b.Revision < directive.Revision).Select(b => b.Shard);
        foreach (var shard in (await hintsTask).Select(h => h.Shard).Concat(stale).Distinct())
        {
            var marks = await ledger.ProgressAsync(directive.Id, shard, cancellationToken);
            shards[shard] = BoardShard.Build(directive, shard, marks.ToDictionary(m => m.Key, m => m.Value.Mark));
        }

        var now = time.GetUtcNow();
        var days = await calendars.DayCountAsync(cancellationToken);
        var assignments = directive.Tasks.SelectMany((task, i) => task.Units.Select(unit =>
        {
            var mark = shards[UnitShard.Of(unit)].Units.TryGetValue(unit, out var cells) && i < cells.Count ? cells[i] : null;
            return new AssignmentView(task, tree.Find(unit), unit, AssignmentStanding.Of(task.Deadline, mark ?? AssignmentMark.None, now, days));
        })).ToList();
        return new DirectiveView(directive, assignments, days);
    }

    /// <summary>Every unit of the tree (and any unit with tasks that left it) with its record over <paramref name="period"/>, told now (days counted as the office chose).</summary>
    public async Task<IReadOnlyList<UnitStanding>> UnitsAsync(Period period, UnitTree tree, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var days = await calendars.DayCountAsync(cancellationToken);
        var records = new Dictionary<UnitId, UnitRecord>();
        foreach (var month in await progress.UnitMonthsAsync(period, cancellationToken))
        {
            foreach (var (unit, record) in month.Units)
            {
                records[unit] = records.GetValueOrDefault(unit, UnitRecord.Empty) + UnitRecord.Of(record, now, days);
            }
        }

        return tree.All.Select(u => u.Id).Union(records.Keys)
            .Select(u => new UnitStanding(u, tree.Find(u), records.GetValueOrDefault(u, UnitRecord.Empty)))
            .ToList();
    }

    /// <summary>The unit's tasks due in <paramref name="period"/>, over every directive, latest deadline first, each with where the unit stands now (a task without a deadline, or cancelled, is due in no month: <see cref="Month.Of(Directives.DirectiveTask)"/>).</summary>
    public async Task<IReadOnlyList<UnitTaskLine>> UnitTasksAsync(UnitId unit, Period period, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var days = await calendars.DayCountAsync(cancellationToken);
        var shard = UnitShard.Of(unit);
        var due = (await directives.ListAsync(cancellationToken)).Where(h => h.Tasks.Any(period.Covers)).ToList();
        var lines = new System.Collections.Concurrent.ConcurrentBag<UnitTaskLine>();
        await System.Threading.Tasks.Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken }, async (header, ct) =>
        {
            if (await progress.BoardShardAsync(header.Id, shard, ct) is not { } board || !board.Value.Units.TryGetValue(unit, out var cells))
            {
                return;
            }

            for (var i = 0; i < header.Tasks.Count && i < cells.Count; i++)
            {
                if (cells[i] is { } mark && period.Covers(header.Tasks[i]))
                {
                    lines.Add(new UnitTaskLine(header, header.Tasks[i], AssignmentStanding.Of(header.Tasks[i].Deadline, mark, now, days)));
                }
            }
        });

        return lines.OrderByDescending(l => l.Task.Deadline).ThenBy(l => l.Directive.Number, StringComparer.Ordinal).ThenBy(l => l.Task.Id.Value, StringComparer.Ordinal).ToList();
    }
}
