using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;

namespace ServerlessWorkflow.Domain.Progress;

/// <summary>What a repair sweep did: directives whose read models were built again whole, and shards brought up to date from a hint left behind.</summary>
public sealed record RepairOutcome(int Rebuilt, int Followed);

/// <summary>
/// Keeps the office's read models in step with the submissions. Each read model is built whole from
/// its sources, read after the version of the row it replaces, and written only if that row is still
/// at that version (else read and built again): so building twice, concurrently or late changes
/// nothing, and the last write always reflects the newest sources.
/// <list type="number">
/// <item>board shard (directive, shard) ← the assignments' progress in that shard;</item>
/// <item>unit-month shard (month, shard) ← the board shards (d, shard) of every directive with a task due that month;</item>
/// <item>the directive's counts ← its board shards; written last at registration and rebuild, so a
/// directive with complete counts has all its read models.</item>
/// </list>
/// A post that changes an assignment's mark leaves a hint in the same transaction as its version;
/// the hint is cleared only once its shard has followed. A crash in between leaves the hint, and the
/// repair sweep (<see cref="RepairAsync"/>) follows it; a directive without complete counts (registered
/// before the read models existed, or cut short) is built again from its versions.
/// A change of the working-day calendar moves deadlines counted in working days that have not passed
/// (<see cref="CalendarChangedAsync"/>): the units' months of such tasks, before and after the move, are built again.
/// An edit of the directive (<see cref="EditedAsync"/>: a deadline extended or set, units added or taken
/// off, a task cancelled or added) builds its boards, the months its tasks counted in before and after
/// the edit, and its counts again; the counts carry the directive's revision, so an edit whose read
/// models were cut short is found by the sweep and built again (the months of before the edit from
/// the counts, which list them). A directive is read at the revision the office's list names, so a
/// copy kept in memory from before an edit (on another instance) is never projected.
/// </summary>
public sealed class ProgressProjector(IDirectiveStore directives, ISubmissionLedger ledger, IProgressStore store, ICalendarSource calendars, TimeProvider time) : ICalendarChangeListener
{
    /// <summary>How often a write is tried again when another writer got there first, before giving up (the hint stays for the sweep).</summary>
    private const int Attempts = 8;

    /// <summary>A hint younger than this may belong to a post still following it: the sweep leaves it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    /// <summary>
    /// After an assignment's mark changed (of task <paramref name="task"/>; null: any of the shard's):
    /// the shard's board, the units' month of that task (of every task when null), the counts; then the hint goes.
    /// </summary>
    public async Task FollowAsync(ProgressHint hint, TaskId? task, CancellationToken cancellationToken)
    {
        var headers = await directives.ListAsync(cancellationToken);
        if (await CurrentAsync(hint.Directive, headers, cancellationToken) is not { } directive)
        {
            return; // not registered yet (its header is written last): its registration builds everything
        }

        await ProjectBoardAsync(directive, hint.Shard, cancellationToken);
        var changed = task is { } t ? directive.FindTask(t) : null;
        foreach (var month in changed is null ? MonthsOf(directive) : Month.Of(changed) is { } m ? [m] : [])
        {
            await ProjectMonthAsync(month, hint.Shard, headers, cancellationToken);
        }

        await ProjectTallyAsync(directive, cancellationToken);
        await ledger.ClearHintAsync(hint, cancellationToken);
    }

    /// <summary>A directive just registered: every shard of its board, the units' months its tasks fall in, then its counts.</summary>
    public Task RegisteredAsync(Directive directive, CancellationToken cancellationToken) => ProjectAllAsync(directive, [], cancellationToken);

    /// <summary>
    /// A directive just edited (<paramref name="edited"/>, as saved): every shard of its board (units
    /// added or taken off, a task added), the units' months its tasks counted in before the edit and
    /// count in after it (a deadline extended into another month, set on a task without one, a task
    /// cancelled), then its counts (on-time and late follow the new deadline), with the new revision.
    /// </summary>
    public Task EditedAsync(DirectiveEdited edited, CancellationToken cancellationToken) => ProjectAllAsync(edited.After, MonthsOf(edited.Before), cancellationToken);

    /// <summary>
    /// Everything of the directive built again from its versions: their progress where missing or wrong,
    /// then every read model — the units' months its tasks count in, and <paramref name="before"/> (those
    /// they counted in when its counts were last built, before an edit).
    /// </summary>
    public async Task RebuildAsync(Directive directive, CancellationToken cancellationToken, IReadOnlyList<Month>? before = null)
    {
        await ledger.RestoreProgressAsync(directive.Id, cancellationToken);
        await ProjectAllAsync(directive, before ?? [], cancellationToken);
    }

    /// <summary>
    /// The sweep (a timer runs it): directives without complete counts, or with counts of a revision
    /// before the directive's last edit, are built again whole; for directives whose links still work
    /// (<paramref name="linkLifetime"/> after the last deadline, and a day for late imports), every hint
    /// older than <see cref="Grace"/> is followed.
    /// </summary>
    public async Task<RepairOutcome> RepairAsync(TimeSpan linkLifetime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var headers = await directives.ListAsync(cancellationToken);
        var tallies = (await store.TalliesAsync(cancellationToken)).ToDictionary(t => t.Directive);
        int rebuilt = 0, followed = 0;
        foreach (var header in headers)
        {
            var tally = tallies.GetValueOrDefault(header.Id);
            if (tally is null || !tally.IsCurrentFor(header))
            {
                if (await directives.GetAsync(header.Id, header.Revision, cancellationToken) is { } directive)
                {
                    await RebuildAsync(directive, cancellationToken, tally?.Months);
                    rebuilt++;
                }

                continue;
            }

            if (now > header.FollowedUntil(linkLifetime) + TimeSpan.FromDays(1))
            {
                continue; // no unit can post to it any more: no hint can appear
            }

            foreach (var hint in await ledger.HintsAsync(header.Id, cancellationToken))
            {
                if (now - hint.At >= Grace)
                {
                    await FollowAsync(hint, null, cancellationToken);
                    followed++;
                }
            }
        }

        return new RepairOutcome(rebuilt, followed);
    }

    /// <summary>
    /// After the office changed the calendar: every task counted in working days whose deadline has not
    /// passed and moved has its open tasks kept in the units' month under the old deadline (perhaps the
    /// old month). Those months — the old and the new — are built again, every shard, from the
    /// directives as the new calendar counts them. Boards and counts keep marks, not deadlines: they stand.
    /// </summary>
    public async Task CalendarChangedAsync(WorkingCalendar before, WorkingCalendar after, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var headers = (await directives.ListAsync(cancellationToken)).Select(d => d.WithDeadlinesFrom(after)).ToList();
        var months = headers.SelectMany(d => d.Tasks)
            .Where(t => t.Term is { } term && !term.DeadlineIn(before).HasPassed(now) && term.DeadlineIn(before) != term.DeadlineIn(after))
            .SelectMany(t => new[] { Month.Of(t.Term!.DeadlineIn(before)), Month.Of(t.Term!.DeadlineIn(after)) })
            .Distinct().Order().ToList();
        foreach (var month in months)
        {
            await Task.WhenAll(UnitShard.All.Select(s => ProjectMonthAsync(month, s, headers, cancellationToken)));
        }
    }

    /// <summary>The months the directive's tasks count in (none for a task without a deadline, or cancelled).</summary>
    public static IReadOnlyList<Month> MonthsOf(Directive directive) => directive.Tasks.Select(Month.Of).OfType<Month>().Distinct().Order().ToList();

    /// <summary>The directive at the revision the office's list (<paramref name="headers"/>) names: a copy from before an edit is read again.</summary>
    private Task<Directive?> CurrentAsync(DirectiveId id, IReadOnlyList<Directive> headers, CancellationToken cancellationToken) =>
        directives.GetAsync(id, headers.FirstOrDefault(h => h.Id == id)?.Revision ?? 0, cancellationToken);

    private async Task ProjectAllAsync(Directive directive, IReadOnlyList<Month> before, CancellationToken cancellationToken)
    {
        await Task.WhenAll(UnitShard.All.Select(s => ProjectBoardAsync(directive, s, cancellationToken)));
        var headers = (await directives.ListAsync(cancellationToken)).Where(h => h.Id != directive.Id).Append(directive).ToList();
        foreach (var month in MonthsOf(directive).Union(before).Distinct().Order())
        {
            await Task.WhenAll(UnitShard.All.Select(s => ProjectMonthAsync(month, s, headers, cancellationToken)));
        }

        await ProjectTallyAsync(directive, cancellationToken);
    }

    private async Task ProjectBoardAsync(Directive directive, UnitShard shard, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var current = await store.BoardShardAsync(directive.Id, shard, cancellationToken);
            var progress = await ledger.ProgressAsync(directive.Id, shard, cancellationToken);
            var board = BoardShard.Build(directive, shard, progress.ToDictionary(p => p.Key, p => p.Value.Mark));
            if (current is not null && current.Value.HasSameCells(board))
            {
                return;
            }

            if ((await store.PutBoardShardAsync(board, current?.Version, cancellationToken)).IsSuccess)
            {
                return;
            }
        }

        throw Busy("board", directive.Id);
    }

    /// <summary>The units' month <paramref name="month"/> of shard <paramref name="shard"/>, working days late counted with the calendar in force (the office's change is in force here at once).</summary>
    private async Task ProjectMonthAsync(Month month, UnitShard shard, IReadOnlyList<Directive> headers, CancellationToken cancellationToken)
    {
        var calendar = await calendars.CurrentAsync(cancellationToken);
        var due = headers.Where(h => h.Tasks.Any(t => Month.Of(t) == month)).ToList();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var current = await store.UnitMonthAsync(month, shard, cancellationToken);
            var boards = await Task.WhenAll(due.Select(h => store.BoardShardAsync(h.Id, shard, cancellationToken)));
            var sources = due.Zip(boards).Where(x => x.Second is not null).Select(x => (x.First.Tasks, x.Second!.Value));
            var built = UnitMonthShard.Build(month, shard, sources, calendar);
            if (current is not null && current.Value.HasSameRecords(built))
            {
                return;
            }

            if ((await store.PutUnitMonthAsync(built, current?.Version, cancellationToken)).IsSuccess)
            {
                return;
            }
        }

        throw Busy("month " + month.Key, null);
    }

    private async Task ProjectTallyAsync(Directive directive, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var current = await store.TallyAsync(directive.Id, cancellationToken);
            var boards = await store.BoardAsync(directive.Id, cancellationToken);
            var empty = new DirectiveTally(directive.Id, new Dictionary<UnitShard, IReadOnlyList<TaskTally>>()) { Revision = directive.Revision, Months = MonthsOf(directive) };
            var tally = boards.Aggregate(empty, (t, b) => t.With(b.Shard, b.Tally(directive.Tasks)));
            if (current is not null && current.Value.HasSameCounts(tally))
            {
                return;
            }

            if ((await store.PutTallyAsync(tally, current?.Version, cancellationToken)).IsSuccess)
            {
                return;
            }
        }

        throw Busy("counts", directive.Id);
    }

    private static InvalidOperationException Busy(string what, DirectiveId? directive) =>
        new($"The read model ({what}{(directive is { } d ? " of " + d.Value : string.Empty)}) kept changing under this projection; its hint stays for the repair sweep.");
}
