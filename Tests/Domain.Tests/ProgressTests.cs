using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>The read models' rules: an assignment's progress and mark, a board's shard and counts, a unit's month and record, periods.</summary>
public sealed class ProgressTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly Deadline Due = Deadline.EndOfDay(new DateOnly(2026, 2, 10));
    private static readonly DirectiveId Id = DirectiveId.New();

    private static UnitId U(string id) => UnitId.Parse(id).Value;

    private static DateTimeOffset At(int day, int hour = 9) => new(2026, 2, day, hour, 0, 0, Vn);

    private static SubmissionVersion V(string id, DateTimeOffset at, SubmissionStatus status) =>
        new(id, Id, TaskId.ForIndex(0), U("chi-bo-a"), at, status, string.Empty, Due.HasPassed(at), []);

    [Fact]
    public void Progress_folded_one_version_at_a_time_equals_the_fold_of_all_and_only_a_later_version_may_be_applied()
    {
        var versions = new[] { V("a", At(5), SubmissionStatus.Done), V("b", At(6), SubmissionStatus.InProgress), V("c", At(11), SubmissionStatus.Done), V("d", At(12), SubmissionStatus.Done) };

        var stepwise = versions.Aggregate(AssignmentProgress.None, (p, v) => p.Apply(v));

        Assert.Equal(AssignmentProgress.Of(versions.Reverse()), stepwise);
        Assert.Equal(new AssignmentProgress(4, "d", At(12), SubmissionStatus.Done, At(11)), stepwise);
        Assert.True(stepwise.IsBefore(V("e", At(13), SubmissionStatus.Done)));
        Assert.True(stepwise.IsBefore(V("e", At(12), SubmissionStatus.Done)));
        Assert.False(stepwise.IsBefore(V("c2", At(12), SubmissionStatus.Done)));
        Assert.False(stepwise.IsBefore(V("z", At(7), SubmissionStatus.Done)));
    }

    [Fact]
    public void The_mark_changes_on_a_first_report_and_between_in_progress_and_done_but_not_when_done_is_sent_again()
    {
        var first = AssignmentProgress.None.Apply(V("a", At(5), SubmissionStatus.InProgress));
        var done = first.Apply(V("b", At(6), SubmissionStatus.Done));
        var again = done.Apply(V("c", At(7), SubmissionStatus.Done));
        var reopened = again.Apply(V("d", At(8), SubmissionStatus.InProgress));

        Assert.NotEqual(AssignmentProgress.None.Mark, first.Mark);
        Assert.NotEqual(first.Mark, done.Mark);
        Assert.Equal(done.Mark, again.Mark);
        Assert.NotEqual(again.Mark, reopened.Mark);
        Assert.Equal(reopened.Mark, first.Mark);
    }

    [Fact]
    public void A_mark_tells_its_state_at_any_instant_like_the_versions_do()
    {
        var versions = new[] { V("a", At(11), SubmissionStatus.Done) };
        var mark = AssignmentProgress.Of(versions).Mark;

        foreach (var now in new[] { At(9), At(11, 12), At(20) })
        {
            var full = AssignmentStanding.Evaluate(Due, versions, now);
            var fromMark = AssignmentStanding.Of(Due, mark, now);
            Assert.Equal((full.State, full.CompletedAt, full.DaysOverdue, full.LatestStatus), (fromMark.State, fromMark.CompletedAt, fromMark.DaysOverdue, fromMark.LatestStatus));
        }

        Assert.Equal(AssignmentState.Pending, AssignmentMark.None.StateAt(Due, At(10, 23)));
        Assert.Equal(AssignmentState.Overdue, AssignmentMark.None.StateAt(Due, At(11, 0)));
        Assert.Equal(3, AssignmentMark.None.DaysOverdue(Due, At(13), DayCount.InCalendarDays));
    }

    [Fact]
    public void A_board_shard_holds_the_units_of_its_shard_with_a_mark_per_task_and_counts_them_on_time_and_late()
    {
        var units = Enumerable.Range(0, 60).Select(i => U($"chi-bo-{i}")).ToList();
        var late = Deadline.EndOfDay(new DateOnly(2026, 2, 20));
        var directive = new Directive(Id, "1", new DateOnly(2026, 2, 1), "x", "y", [
            new DirectiveTask(TaskId.ForIndex(0), "a", TaskKind.Confirmation, Due, units),
            new DirectiveTask(TaskId.ForIndex(1), "b", TaskKind.Confirmation, late, units.Take(30).ToList()),
        ], At(1));
        var shard = UnitShard.Of(units[0]);
        var mine = units.Where(u => UnitShard.Of(u) == shard).ToList();
        var marks = new Dictionary<(UnitId, TaskId), AssignmentMark>
        {
            [(mine[0], TaskId.ForIndex(0))] = new(SubmissionStatus.Done, At(5)),
            [(mine[1], TaskId.ForIndex(0))] = new(SubmissionStatus.Done, At(12)),
            [(mine[1], TaskId.ForIndex(1))] = new(SubmissionStatus.InProgress, null),
        };

        var board = BoardShard.Build(directive, shard, marks);

        Assert.Equal(mine.Select(u => u.Value).Order(), board.Units.Keys.Select(u => u.Value).Order());
        Assert.Equal(AssignmentMark.None, board.Units[mine[^1]][0]);
        var tally = board.Tally(directive.Tasks);
        Assert.Equal(new TaskTally(mine.Count, 1, 1), tally[0]);
        Assert.Equal(mine.Count(u => units.IndexOf(u) < 30), tally[1].Assigned);
        Assert.Equal(0, tally[1].OnTime + tally[1].Late);
        Assert.True(board.HasSameCells(BoardShard.Build(directive, shard, marks)));
        Assert.False(board.HasSameCells(BoardShard.Build(directive, shard, new Dictionary<(UnitId, TaskId), AssignmentMark>())));
    }

    [Fact]
    public void Shards_are_stable_and_spread_units()
    {
        Assert.Equal(UnitShard.Of(U("dang-bo-a")), UnitShard.Of(U("dang-bo-a")));
        var spread = Enumerable.Range(0, 2000).Select(i => UnitShard.Of(U($"chi-bo-{i:D4}"))).GroupBy(s => s).ToList();
        Assert.Equal(UnitShard.Count, spread.Count);
        Assert.All(spread, g => Assert.InRange(g.Count(), 80, 170));
        Assert.Equal("07", UnitShard.Parse("07").Value.Key);
        Assert.False(UnitShard.Parse("16").IsSuccess);
    }

    [Fact]
    public void A_directives_counts_make_its_rates_open_tasks_overdue_after_their_deadline()
    {
        IReadOnlyList<DirectiveTask> tasks = [
            new DirectiveTask(TaskId.ForIndex(0), "a", TaskKind.Confirmation, Due, []),
            new DirectiveTask(TaskId.ForIndex(1), "b", TaskKind.Confirmation, Deadline.EndOfDay(new DateOnly(2026, 3, 1)), []),
        ];
        var all = UnitShard.All.ToList();
        var tally = new DirectiveTally(Id, new Dictionary<UnitShard, IReadOnlyList<TaskTally>>())
            .With(all[0], [new TaskTally(10, 6, 2), new TaskTally(4, 1, 0)])
            .With(all[1], [new TaskTally(5, 5, 0), new TaskTally(5, 0, 0)]);

        var rates = tally.Rates(tasks, At(15));

        Assert.Equal(new ProgressRates("Tất cả", 24, 12, 2, 2, 8), rates);
        Assert.False(tally.IsComplete);
        Assert.True(UnitShard.All.Aggregate(tally, (t, s) => t.With(s, [])).IsComplete);
    }

    [Fact]
    public void A_units_month_counts_the_tasks_due_that_month_and_tells_overdue_from_pending_and_days_in_the_chosen_unit_when_read()
    {
        var unit = U("chi-bo-a");
        var march = Deadline.EndOfDay(new DateOnly(2026, 3, 1));
        var feb20 = Deadline.EndOfDay(new DateOnly(2026, 2, 20));
        var feb13 = Deadline.EndOfDay(new DateOnly(2026, 2, 13));
        IReadOnlyList<DirectiveTask> tasks = [
            new DirectiveTask(TaskId.ForIndex(0), "a", TaskKind.Confirmation, Due, []),
            new DirectiveTask(TaskId.ForIndex(1), "b", TaskKind.Confirmation, feb20, []),
            new DirectiveTask(TaskId.ForIndex(2), "c", TaskKind.Confirmation, march, []),
            new DirectiveTask(TaskId.ForIndex(3), "d", TaskKind.Confirmation, feb13, []),
        ];
        // t1 done 3 days late (11–13/02, working days too); t4 done on 24/02: 11 days late, 2 working days (Tết 14–22/02 is not counted).
        var board = new BoardShard(Id, UnitShard.Of(unit), new Dictionary<UnitId, IReadOnlyList<AssignmentMark?>>
        {
            [unit] = [new AssignmentMark(SubmissionStatus.Done, At(13)), AssignmentMark.None, AssignmentMark.None, new AssignmentMark(SubmissionStatus.Done, At(24))],
        });

        var month = UnitMonthShard.Build(new Month(2026, 2), UnitShard.Of(unit), [(tasks, board), (tasks, board)], WorkingCalendar.Default);

        var record = month.Units[unit];
        var working = new DayCount(DayUnit.WorkingDays, WorkingCalendar.Default);
        Assert.Equal(new UnitMonthRecord(6, 0, 4, 10, 28, [new OpenTasks(feb20, 2)]) with { Open = record.Open }, record);
        Assert.Equal([new OpenTasks(feb20, 2)], record.Open);
        Assert.Equal(new UnitRecord(6, 0, 4, 28, 0, 0, 0, 2), UnitRecord.Of(record, At(20), DayCount.InCalendarDays));
        Assert.Equal(new UnitRecord(6, 0, 4, 28, 2, 10, 5, 0), UnitRecord.Of(record, At(25), DayCount.InCalendarDays));
        // In working days: 20/02 → 25/02 is 3 (23, 24, 25).
        Assert.Equal(new UnitRecord(6, 0, 4, 10, 2, 6, 3, 0), UnitRecord.Of(record, At(25), working));
    }

    [Fact]
    public void Units_are_ordered_latest_first_by_tasks_overdue_then_days_overdue_then_late()
    {
        UnitStanding S(string id, UnitRecord r) => new(U(id), null, r);
        var units = new[]
        {
            S("a", UnitRecord.Empty with { Assigned = 3, OnTime = 3 }),
            S("b", UnitRecord.Empty with { Assigned = 3, Late = 2, DaysLate = 4 }),
            S("c", UnitRecord.Empty with { Assigned = 3, Overdue = 1, DaysOverdue = 9, MaxDaysOverdue = 9 }),
            S("d", UnitRecord.Empty with { Assigned = 3, Overdue = 1, DaysOverdue = 2, MaxDaysOverdue = 2 }),
            S("e", UnitRecord.Empty with { Assigned = 3, Late = 2, DaysLate = 7 }),
        };

        Assert.Equal(["c", "d", "e", "b", "a"], new UnitsQuery().Apply(units).Select(u => u.Name));
        Assert.Equal(["b", "c", "d", "e"], new UnitsQuery(OnlyLate: true, Sort: UnitsSort.Name).Apply(units).Select(u => u.Name));
    }

    [Fact]
    public void A_period_is_whole_months_a_task_counting_in_the_month_of_its_last_day()
    {
        var now = At(15);
        var february = Period.Parse("202602", "2026-02", now).Value;

        Assert.True(february.Contains(Deadline.ParseWritten("trước ngày 01/03/2026", "d").Value));
        Assert.False(february.Contains(Deadline.EndOfDay(new DateOnly(2026, 3, 1))));
        Assert.Equal(new Period(new Month(2026, 1), new Month(2026, 12)), Period.Parse(null, null, now).Value);
        Assert.Equal("den", Period.Parse("202603", "202602", now).Error!.Fields[0].Field);
        Assert.Equal("tu", Period.Parse("tháng ba", "202602", now).Error!.Fields[0].Field);
        Assert.False(Period.Parse("202001", "202512", now).IsSuccess);
        var reversed = Period.Choose("202603", "202602", now);
        Assert.Equal((new Month(2026, 3), new Month(2026, 2)), (reversed.From, reversed.To));
        Assert.Equal(Period.YearOf(now), reversed.Period);
        Assert.NotNull(reversed.Error);
    }
    [Fact]
    public void Without_a_deadline_a_mark_is_never_late_nor_overdue_and_a_board_counts_its_completion_on_time()
    {
        var done = new AssignmentMark(SubmissionStatus.Done, At(28));
        var unit = U("chi-bo-a");
        var directive = new Directive(Id, "1", new DateOnly(2026, 2, 1), "x", "y", [new DirectiveTask(TaskId.ForIndex(0), "a", TaskKind.Confirmation, null, [unit])], At(1));
        var board = BoardShard.Build(directive, UnitShard.Of(unit), new Dictionary<(UnitId, TaskId), AssignmentMark> { [(unit, TaskId.ForIndex(0))] = done });

        Assert.Equal(AssignmentState.SubmittedOnTime, done.StateAt(null, At(28)));
        Assert.Equal(AssignmentState.Pending, AssignmentMark.None.StateAt(null, At(28).AddYears(2)));
        Assert.Equal(0, AssignmentMark.None.DaysOverdue(null, At(28).AddYears(2), DayCount.InCalendarDays));
        Assert.Equal(AssignmentState.Pending, AssignmentStanding.Of(null, new AssignmentMark(SubmissionStatus.InProgress, null), At(28)).State);
        Assert.Equal([new TaskTally(1, 1, 0)], board.Tally(directive.Tasks));
    }

    [Fact]
    public void A_directives_counts_never_make_a_task_without_a_deadline_overdue_and_count_a_cancelled_task_for_nothing()
    {
        IReadOnlyList<DirectiveTask> tasks = [
            new DirectiveTask(TaskId.ForIndex(0), "a", TaskKind.Confirmation, Due, []),
            new DirectiveTask(TaskId.ForIndex(1), "b", TaskKind.Confirmation, null, []),
            new DirectiveTask(TaskId.ForIndex(2), "c", TaskKind.Confirmation, Due, []) { Cancelled = new TaskCancellation(At(5), "Văn thư", "Không còn cần") },
        ];
        var tally = new DirectiveTally(Id, new Dictionary<UnitShard, IReadOnlyList<TaskTally>>())
            .With(UnitShard.All.First(), [new TaskTally(4, 1, 1), new TaskTally(5, 2, 0), new TaskTally(6, 1, 0)]);

        var rates = tally.Rates(tasks, At(25));

        Assert.Equal(new ProgressRates("Tất cả", 9, 3, 1, 2, 3), rates);
    }

    [Fact]
    public void A_task_without_a_deadline_or_cancelled_counts_in_no_month_of_the_units_records()
    {
        var unit = U("chi-bo-a");
        IReadOnlyList<DirectiveTask> tasks = [
            new DirectiveTask(TaskId.ForIndex(0), "a", TaskKind.Confirmation, Due, [unit]),
            new DirectiveTask(TaskId.ForIndex(1), "b", TaskKind.Confirmation, null, [unit]),
            new DirectiveTask(TaskId.ForIndex(2), "c", TaskKind.Confirmation, Due, [unit]) { Cancelled = new TaskCancellation(At(5), "Văn thư", string.Empty) },
        ];
        var directive = new Directive(Id, "1", new DateOnly(2026, 2, 1), "x", "y", tasks, At(1));
        var board = BoardShard.Build(directive, UnitShard.Of(unit), new Dictionary<(UnitId, TaskId), AssignmentMark>());
        var february = new Period(new Month(2026, 2), new Month(2026, 2));

        var month = UnitMonthShard.Build(new Month(2026, 2), UnitShard.Of(unit), [(tasks, board)], WorkingCalendar.Default);

        Assert.Equal(new Month(2026, 2), Month.Of(tasks[0]));
        Assert.Null(Month.Of(tasks[1]));
        Assert.Null(Month.Of(tasks[2]));
        Assert.Equal([new Month(2026, 2)], ProgressProjector.MonthsOf(directive));
        Assert.Equal([true, false, false], tasks.Select(february.Covers));
        Assert.Equal(1, month.Units[unit].Assigned);
        Assert.Equal(directive.Revision, board.Revision);
        Assert.False(board.HasSameCells(board with { Revision = 1 }));
    }

    [Fact]
    public void Counts_are_current_for_a_directive_only_at_its_revision()
    {
        var directive = new Directive(Id, "1", new DateOnly(2026, 2, 1), "x", "y", [], At(1)) { Revision = 2 };
        var complete = UnitShard.All.Aggregate(new DirectiveTally(Id, new Dictionary<UnitShard, IReadOnlyList<TaskTally>>()), (t, s) => t.With(s, []));

        Assert.False(complete.IsCurrentFor(directive));
        Assert.True((complete with { Revision = 2 }).IsCurrentFor(directive));
        Assert.False((complete with { Revision = 2 }).HasSameCounts(complete));
        Assert.False((complete with { Months = [new Month(2026, 2)] }).HasSameCounts(complete));
    }
}
