using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain.Calendar;

/// <summary>Terms in working days as the office, the API and dispatches write them.</summary>
public sealed class WorkingDaysTermTests
{
    private static readonly UnitTree Tree = new([UnitTreeTests.U("root", 1), UnitTreeTests.U("a", 2, "root")]);
    private static readonly DateTimeOffset Now = new(2026, 2, 10, 9, 0, 0, TimeSpan.FromHours(7));

    [Theory]
    [InlineData("05 ngày làm việc kể từ ngày 13/02/2026")]
    [InlineData("5 ngày làm việc kể từ 13/2/2026")]
    [InlineData("Trong vòng 05 ngày làm việc, tính từ ngày 13/02/2026.")]
    [InlineData("trong thời hạn 05 (năm) ngày làm việc kể từ ngày 13-02-2026")]
    [InlineData("5 NGAY LAM VIEC KE TU NGAY 2026-02-13")]
    [InlineData("05 ngày làm việc sau ngày 13/02/2026")]
    public void A_term_is_read_however_it_is_written(string text)
    {
        var term = WorkingDaysTerm.ParseWritten(text, "deadline");

        Assert.NotNull(term);
        Assert.Equal((5, new DateOnly(2026, 2, 13)), (term.Value.Value.Days, term.Value.Value.From));
    }

    [Fact]
    public void Other_deadlines_are_not_terms_and_a_wrong_term_says_how_to_write_one()
    {
        Assert.Null(WorkingDaysTerm.ParseWritten("Trước ngày 26/02/2026", "d"));
        Assert.Null(WorkingDaysTerm.ParseWritten("25/02/2026", "d"));
        Assert.Equal("invalid-working-days", WorkingDaysTerm.ParseWritten("0 ngày làm việc kể từ ngày 13/02/2026", "d")!.Value.Error!.Fields[0].Code);
        Assert.Equal("invalid-working-days", WorkingDaysTerm.ParseWritten("500 ngày làm việc kể từ ngày 13/02/2026", "d")!.Value.Error!.Fields[0].Code);
        Assert.Equal("invalid-date", WorkingDaysTerm.ParseWritten("5 ngày làm việc kể từ ngày 30/02/2026", "d")!.Value.Error!.Fields[0].Code);
    }

    [Fact]
    public void Registration_keeps_the_term_and_counts_its_last_day_with_the_calendar()
    {
        var written = Register(new TaskInput("Báo cáo", "confirmation", "05 ngày làm việc kể từ ngày 13/02/2026", ["a"]));
        var structured = Register(new TaskInput("Báo cáo", "confirmation", null, ["a"], WorkingDays: "5", CountFrom: "2026-02-13"));
        var dayOff = new WorkingCalendar([YearSettings.Default(2026) with { Overrides = [new DayOverride(new DateOnly(2026, 2, 25), DayChange.DayOff, "Nghỉ thêm")] }]);

        Assert.Equal(new DateOnly(2026, 2, 27), written.Value.Tasks[0].Due.LastDay);
        Assert.Equal(written.Value.Tasks[0].Term, structured.Value.Tasks[0].Term);
        Assert.Equal(written.Value.Tasks[0].Deadline, structured.Value.Tasks[0].Deadline);
        Assert.Equal(new DateOnly(2026, 3, 2), written.Value.WithDeadlinesFrom(dayOff).Tasks[0].Due.LastDay);
        Assert.Null(Register(new TaskInput("Báo cáo", "confirmation", "25/02/2026", ["a"])).Value.Tasks[0].Term);
    }

    [Fact]
    public void A_term_given_twice_or_badly_is_refused_with_its_field()
    {
        Assert.Equal("tasks[0].deadline", Field(Register(new TaskInput("t", "confirmation", "25/02/2026", ["a"], WorkingDays: "5", CountFrom: "2026-02-13"))));
        Assert.Equal("tasks[0].workingDays", Field(Register(new TaskInput("t", "confirmation", null, ["a"], WorkingDays: "năm", CountFrom: "2026-02-13"))));
        Assert.Equal("tasks[0].countFrom", Field(Register(new TaskInput("t", "confirmation", null, ["a"], WorkingDays: "5", CountFrom: null))));
        var wrong = Register(new TaskInput("t", "confirmation", "5 ngày làm việc", ["a"]));
        Assert.Contains("05 ngày làm việc kể từ ngày 13/02/2026", wrong.Error!.Fields[0].Message, StringComparison.Ordinal);
    }

    private static ServerlessWorkflow.Domain.Common.Result<Directive> Register(TaskInput task) =>
        DirectiveRegistration.Register(new DirectiveInput("1-CV/ĐU", "2026-02-05", "Đảng ủy", "Rà soát", [task]), Tree, DirectiveId.New(), Now, WorkingCalendar.Default);

    private static string Field(ServerlessWorkflow.Domain.Common.Result<Directive> result) => Assert.Single(result.Error!.Fields).Field;
}
