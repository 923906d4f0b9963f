using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Tests.Domain;

public sealed class DeadlineTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    [Theory]
    [InlineData("Trước ngày 26/02/2026")]
    [InlineData("trước ngày 26/02/2026")]
    [InlineData("TRUOC NGAY 26/02/2026")]
    [InlineData("Chậm nhất ngày 25/02/2026")]
    [InlineData("đến hết ngày 25/02/2026")]
    [InlineData("Hạn: 25/02/2026")]
    [InlineData("25/02/2026")]
    [InlineData("25/2/2026")]
    public void Truoc_ngay_26_and_cham_nhat_ngay_25_name_the_same_deadline_the_end_of_25_February_in_Vietnam(string written)
    {
        var deadline = Deadline.ParseWritten(written, "deadline");

        Assert.True(deadline.IsSuccess);
        Assert.Equal(new DateTimeOffset(2026, 2, 26, 0, 0, 0, Vn), deadline.Value.PassesAt);
        Assert.Equal(new DateOnly(2026, 2, 25), deadline.Value.LastDay);
        Assert.Equal("25/02/2026", deadline.Value.Display);
    }

    [Fact]
    public void Decomposed_unicode_reads_like_composed()
    {
        var nfd = "Trước ngày 26/02/2026".Normalize(System.Text.NormalizationForm.FormD);

        Assert.Equal(new DateOnly(2026, 2, 25), Deadline.ParseWritten(nfd, "d").Value.LastDay);
    }

    [Fact]
    public void At_23_59_59_on_the_last_day_the_task_is_on_time_and_at_00_00_00_the_next_day_it_is_late()
    {
        var deadline = Deadline.ParseWritten("trước ngày 26/02/2026", "d").Value;

        Assert.False(deadline.HasPassed(new DateTimeOffset(2026, 2, 25, 23, 59, 59, Vn)));
        Assert.True(deadline.HasPassed(new DateTimeOffset(2026, 2, 26, 0, 0, 0, Vn)));
        Assert.Equal(0, deadline.DaysOverdue(new DateTimeOffset(2026, 2, 25, 23, 59, 59, Vn)));
        Assert.Equal(1, deadline.DaysOverdue(new DateTimeOffset(2026, 2, 26, 0, 0, 0, Vn)));
    }

    [Fact]
    public void The_boundary_is_Vietnam_midnight_whatever_offset_the_clock_reports_in()
    {
        var deadline = Deadline.EndOfDay(new DateOnly(2026, 2, 25));

        Assert.False(deadline.HasPassed(new DateTimeOffset(2026, 2, 25, 16, 59, 59, TimeSpan.Zero)));
        Assert.True(deadline.HasPassed(new DateTimeOffset(2026, 2, 25, 17, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("trước ngày 01/03/2026", 2026, 2, 28)]
    [InlineData("trước ngày 01/01/2027", 2026, 12, 31)]
    [InlineData("trước ngày 01/03/2028", 2028, 2, 29)]
    public void Truoc_ngay_the_first_of_a_month_ends_on_the_last_day_of_the_previous_month_and_year(string written, int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), Deadline.ParseWritten(written, "d").Value.LastDay);
    }

    [Theory]
    [InlineData("2026-02-25", "2026-02-26T00:00:00+07:00")]
    [InlineData("2026-02-25T17:00:00+07:00", "2026-02-25T17:00:00+07:00")]
    [InlineData("2026-02-25T10:00:00Z", "2026-02-25T17:00:00+07:00")]
    public void The_api_takes_an_iso_date_as_the_end_of_that_day_and_a_date_time_with_offset_as_it_is(string iso, string passesAt)
    {
        Assert.Equal(DateTimeOffset.Parse(passesAt, System.Globalization.CultureInfo.InvariantCulture), Deadline.ParseIso(iso, "d").Value.PassesAt);
    }

    [Theory]
    [InlineData("2026-02-25T17:00:00")]
    [InlineData("25/02/2026")]
    [InlineData("2026-02-30")]
    [InlineData("")]
    [InlineData("tomorrow")]
    public void The_api_refuses_dates_it_cannot_place_in_time(string text)
    {
        var result = Deadline.ParseIso(text, "tasks[0].deadline");

        Assert.False(result.IsSuccess);
        Assert.Equal("tasks[0].deadline", Assert.Single(result.Error!.Fields).Field);
    }

    [Fact]
    public void Registration_accepts_both_the_api_and_the_written_forms()
    {
        Assert.Equal(
            DirectiveRegistration.ParseDue(new TaskInput("t", "confirmation", "2026-02-25", []), "d", WorkingCalendar.Default).Value,
            DirectiveRegistration.ParseDue(new TaskInput("t", "confirmation", "Trước ngày 26/02/2026", []), "d", WorkingCalendar.Default).Value);
    }

    [Fact]
    public void Days_left_count_Vietnam_calendar_days_to_the_last_day()
    {
        var deadline = Deadline.EndOfDay(new DateOnly(2026, 2, 25));

        Assert.Equal(3, deadline.DaysLeft(new DateTimeOffset(2026, 2, 22, 8, 0, 0, Vn)));
        Assert.Equal(0, deadline.DaysLeft(new DateTimeOffset(2026, 2, 25, 23, 0, 0, Vn)));
        Assert.Equal(1, deadline.DaysLeft(new DateTimeOffset(2026, 2, 24, 0, 0, 0, Vn)));
        Assert.Equal(1, deadline.DaysLeft(new DateTimeOffset(2026, 2, 23, 17, 0, 0, TimeSpan.Zero)));
    }
}
