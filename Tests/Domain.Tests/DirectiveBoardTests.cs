using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>The office's board: cells, escalation steps, rates per level and branch, search and order.</summary>
public sealed class DirectiveBoardTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 10, 9, 0, 0, TimeSpan.FromHours(7));

    private static Unit U(string id, string name, int level, string? parent) =>
        Unit.Create(UnitId.Parse(id).Value, name, level.ToString(System.Globalization.CultureInfo.InvariantCulture), parent, id + "@example.invalid").Value;

    private static readonly UnitTree Tree = new([
        U("tinh", "Đảng ủy UBND tỉnh", 1, null),
        U("tai-chinh", "Đảng bộ Sở Tài chính", 2, "tinh"),
        U("ngan-sach", "Chi bộ Phòng Ngân sách", 4, "tai-chinh"),
        U("dong-da", "Đảng bộ phường Đống Đa", 2, "tinh"),
        U("ba-dinh", "Đảng bộ phường Ba Đình", 2, "tinh"),
    ]);

    private static readonly DirectiveTask First = new(TaskId.ForIndex(0), "Rà soát tài khoản", TaskKind.Confirmation, Deadline.EndOfDay(new DateOnly(2026, 2, 5)), [.. Ids("tai-chinh", "ngan-sach", "dong-da", "ba-dinh")]);
    private static readonly DirectiveTask Second = new(TaskId.ForIndex(1), "Báo cáo thống kê", TaskKind.Statistics, Deadline.EndOfDay(new DateOnly(2026, 2, 20)), [.. Ids("tai-chinh", "dong-da")]);
    private static readonly Directive Directive = new(DirectiveId.New(), "643-CV/ĐU", new DateOnly(2026, 2, 1), "Văn phòng", "Dịch vụ công", [First, Second], Now.AddDays(-10));

    private static IEnumerable<UnitId> Ids(params string[] ids) => ids.Select(i => UnitId.Parse(i).Value);

    private static AssignmentStanding Standing(AssignmentState state, int daysOverdue = 0) => new(state, null, null, 0, daysOverdue);

    private static DirectiveView View() => new(Directive, [
        new AssignmentView(First, Tree.Find(Ids("tai-chinh").Single()), Ids("tai-chinh").Single(), Standing(AssignmentState.SubmittedOnTime)),
        new AssignmentView(First, Tree.Find(Ids("ngan-sach").Single()), Ids("ngan-sach").Single(), Standing(AssignmentState.SubmittedLate, 2)),
        new AssignmentView(First, Tree.Find(Ids("dong-da").Single()), Ids("dong-da").Single(), Standing(AssignmentState.Overdue, 5)),
        new AssignmentView(First, Tree.Find(Ids("ba-dinh").Single()), Ids("ba-dinh").Single(), Standing(AssignmentState.Overdue, 1)),
        new AssignmentView(Second, Tree.Find(Ids("tai-chinh").Single()), Ids("tai-chinh").Single(), Standing(AssignmentState.Pending)),
        new AssignmentView(Second, Tree.Find(Ids("dong-da").Single()), Ids("dong-da").Single(), Standing(AssignmentState.SubmittedOnTime)),
    ], DayCount.InCalendarDays);

    private static DirectiveBoard Board(BoardQuery query, params LadderState[] ladders) => DirectiveBoard.Of(View(), Tree, ladders, query);

    [Fact]
    public void Every_assigned_unit_is_a_row_with_a_cell_per_task_and_none_where_the_task_is_not_its_own()
    {
        var board = Board(new BoardQuery());

        Assert.Equal(4, board.Rows.Count);
        var ngânSách = board.Rows.Single(r => r.UnitId.Value == "ngan-sach");
        Assert.Equal(AssignmentState.SubmittedLate, ngânSách.Cells[0]!.Standing.State);
        Assert.Null(ngânSách.Cells[1]);
    }

    [Fact]
    public void Searching_without_diacritics_finds_the_unit_and_the_rates_still_count_every_unit()
    {
        var board = Board(new BoardQuery(Search: "dong da"));

        Assert.Equal("Đảng bộ phường Đống Đa", Assert.Single(board.Rows).Name);
        Assert.Equal(4, board.AllRows);
        Assert.Equal(6, board.Progress.Overall.Assignments);
    }

    [Fact]
    public void Filtering_by_level_and_by_state_keeps_only_matching_rows()
    {
        Assert.Equal(["ngan-sach"], Board(new BoardQuery(Level: UnitLevel.AffiliatedCell)).Rows.Select(r => r.UnitId.Value));
        Assert.Equal(["ba-dinh", "dong-da"], Board(new BoardQuery(State: AssignmentState.Overdue)).Rows.Select(r => r.UnitId.Value));
    }

    [Fact]
    public void Rows_sort_by_Vietnamese_name_by_level_or_latest_first()
    {
        Assert.Equal(["ngan-sach", "ba-dinh", "dong-da", "tai-chinh"], Board(new BoardQuery()).Rows.Select(r => r.UnitId.Value));
        Assert.Equal(["ba-dinh", "dong-da", "tai-chinh", "ngan-sach"], Board(new BoardQuery(Sort: BoardSort.Level)).Rows.Select(r => r.UnitId.Value));
        Assert.Equal(["dong-da", "ba-dinh", "ngan-sach", "tai-chinh"], Board(new BoardQuery(Sort: BoardSort.Lateness)).Rows.Select(r => r.UnitId.Value));
    }

    [Fact]
    public void A_cell_shows_the_furthest_step_of_its_ladder_not_the_offices_own_reminder_and_its_hold()
    {
        var key = new AssignmentKey(Directive.Id, First.Id, Ids("dong-da").Single());
        var marks = new[] { "reminder-3d", "reminder-1d", "step-1", "step-2", "manual-20260301" }.ToDictionary(s => s, _ => new StepMark(null, null));
        var board = Board(new BoardQuery(), new LadderState(key, marks, new LadderHold(new DateOnly(2026, 3, 5), "Xin thêm thời gian", default)));

        var cell = board.Rows.Single(r => r.UnitId.Value == "dong-da").Cells[0]!;
        Assert.Equal(Rung.Step2, cell.Reached!.Value.Rung);
        Assert.Equal("Bước 2: báo cấp trên", cell.Reached.Value.DisplayName);
        Assert.Equal(1, DirectiveBoard.Highest(["reminder-3d", "reminder-1d"])!.Value.Days);
        Assert.Null(board.Rows.Single(r => r.UnitId.Value == "ba-dinh").Cells[0]!.Reached);
        Assert.Equal(new DateOnly(2026, 3, 5), cell.Hold!.Through);
    }

    [Fact]
    public void Rates_per_level_and_per_branch_under_the_single_top_unit()
    {
        var progress = Board(new BoardQuery()).Progress;

        // 6 assignments: 3 completed (2 on time, 1 late), 2 overdue, 1 pending.
        Assert.Equal(0.5, progress.Overall.CompletionRate);
        Assert.Equal(2.0 / 5, progress.Overall.TimelinessRate);
        Assert.Equal(["Đảng bộ/Chi bộ cơ sở", "Chi bộ trực thuộc"], progress.ByLevel.Select(r => r.Name));
        Assert.Equal(["Đảng bộ phường Ba Đình", "Đảng bộ phường Đống Đa", "Đảng bộ Sở Tài chính"], progress.ByBranch.Select(r => r.Name));
        var taiChinh = progress.ByBranch.Single(r => r.Name == "Đảng bộ Sở Tài chính");
        Assert.Equal((3, 1, 1, 0, 1), (taiChinh.Assignments, taiChinh.OnTime, taiChinh.Late, taiChinh.Overdue, taiChinh.Pending));
    }

    [Fact]
    public void A_fresh_directive_has_no_timeliness_rate_rather_than_zero()
    {
        var rates = ProgressRates.Of("x", [AssignmentState.Pending, AssignmentState.Pending]);

        Assert.Equal(0.0, rates.CompletionRate);
        Assert.Null(rates.TimelinessRate);
        Assert.Null(ProgressRates.Of("x", []).CompletionRate);
    }
}
