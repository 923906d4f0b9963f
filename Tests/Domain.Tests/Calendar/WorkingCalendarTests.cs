using System.Globalization;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Tests.Domain.Calendar;

/// <summary>The Labour Code's calendar, the office's decisions, and the questions deadlines and the ladder ask of it.</summary>
public sealed class WorkingCalendarTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly WorkingCalendar Law = WorkingCalendar.Default;

    /// <summary>
    /// The civil servants' Tết break (days off in a row, weekends included) as the government
    /// announced it: 2023 "từ thứ Sáu 20/1 đến hết thứ Năm 26/1", 2024 "từ thứ Năm 8/2 đến hết thứ Tư
    /// 14/2", 2025 "từ thứ Bảy 25/1 đến hết Chủ nhật 2/2", 2026 "từ thứ Bảy 14/2 đến hết Chủ nhật 22/2".
    /// </summary>
    [Theory]
    [InlineData(2023, "20/01/2023", "26/01/2023")]
    [InlineData(2024, "08/02/2024", "14/02/2024")]
    [InlineData(2025, "25/01/2025", "02/02/2025")]
    [InlineData(2026, "14/02/2026", "22/02/2026")]
    public void The_Labour_Codes_Tet_gives_the_break_the_government_announced(int year, string from, string to)
    {
        var tet = LunarCalendar.NewYear(year);
        var first = tet;
        while (!Law.IsWorkingDay(first.AddDays(-1)))
        {
            first = first.AddDays(-1);
        }

        var last = tet;
        while (!Law.IsWorkingDay(last.AddDays(1)))
        {
            last = last.AddDays(1);
        }

        Assert.Equal((D(from), D(to)), (first, last));
    }

    [Fact]
    public void Tet_2027_on_a_Saturday_gives_its_weekend_back_on_the_Thursday_before_and_the_Wednesday_after()
    {
        var year = Law.Year(2027);

        Assert.Equal(D("06/02/2027"), year.Tet);
        Assert.Equal(new DateSpan(D("05/02/2027"), D("09/02/2027")), year.TetDaysOff);
        Assert.Equal(DayKind.CompensatoryDayOff, Law.Day(D("04/02/2027")).Kind);
        Assert.Equal(DayKind.CompensatoryDayOff, Law.Day(D("10/02/2027")).Kind);
        Assert.Equal("Nghỉ bù Tết Nguyên đán", Law.Day(D("10/02/2027")).Name);
        Assert.True(Law.IsWorkingDay(D("03/02/2027")));
        Assert.True(Law.IsWorkingDay(D("11/02/2027")));
    }

    [Fact]
    public void A_holiday_on_the_weekend_is_given_back_on_the_next_working_day_after_the_holidays_that_follow_it()
    {
        // 2026: Giỗ Tổ on Sunday 26/04 → Monday 27/04; 30/04 and 01/05 are Thursday and Friday.
        Assert.Equal(DayKind.Holiday, Law.Day(D("26/04/2026")).Kind);
        Assert.Equal("Nghỉ bù Giỗ Tổ Hùng Vương", Law.Day(D("27/04/2026")).Name);
        Assert.True(Law.IsWorkingDay(D("28/04/2026")));
        Assert.False(Law.IsWorkingDay(D("30/04/2026")));
        Assert.False(Law.IsWorkingDay(D("01/05/2026")));
        Assert.True(Law.IsWorkingDay(D("04/05/2026")));

        // 2022: 30/04 Saturday and 01/05 Sunday → Monday 02/05 and Tuesday 03/05, as announced.
        Assert.Equal(DayKind.CompensatoryDayOff, Law.Day(D("02/05/2022")).Kind);
        Assert.Equal(DayKind.CompensatoryDayOff, Law.Day(D("03/05/2022")).Kind);
        Assert.True(Law.IsWorkingDay(D("04/05/2022")));
    }

    [Theory]
    [InlineData(2021, "03/09/2021")] // Thursday 02/09: Friday 03/09 (Thursday–Sunday)
    [InlineData(2022, "01/09/2022")] // Friday: Thursday 01/09
    [InlineData(2023, "01/09/2023")] // Saturday: Friday 01/09, and Monday 04/09 given back
    [InlineData(2024, "03/09/2024")] // Monday: Tuesday 03/09
    [InlineData(2025, "01/09/2025")] // Tuesday: Monday 01/09
    public void The_day_beside_National_Day_is_the_one_the_government_chose_those_years(int year, string neighbour)
    {
        Assert.Equal(DayKind.Holiday, Law.Day(D(neighbour)).Kind);
        Assert.Equal("ngày liền kề", Law.Day(D(neighbour)).Detail);
        if (year == 2023)
        {
            Assert.Equal(DayKind.CompensatoryDayOff, Law.Day(D("04/09/2023")).Kind);
        }
    }

    [Fact]
    public void The_offices_decisions_change_single_days_the_weekly_rest_and_Tet()
    {
        var settings = YearSettings.Default(2026) with
        {
            NationalDayNeighbour = NationalDayNeighbour.After,
            Overrides =
            [
                new DayOverride(D("02/01/2026"), DayChange.DayOff, "Nghỉ bù Tết Dương lịch (hoán đổi)"),
                new DayOverride(D("10/01/2026"), DayChange.WorkingDay, "Làm bù cho ngày 02/01"),
            ],
        };
        var calendar = new WorkingCalendar([settings]);

        Assert.Equal(DayKind.ExtraDayOff, calendar.Day(D("02/01/2026")).Kind);
        Assert.True(calendar.IsWorkingDay(D("10/01/2026")));
        Assert.Equal("Làm bù cho ngày 02/01", calendar.Day(D("10/01/2026")).Name);
        Assert.True(calendar.IsWorkingDay(D("01/09/2026")));
        Assert.False(calendar.IsWorkingDay(D("03/09/2026")));
        Assert.True(Law.IsWorkingDay(D("03/09/2026")));

        // Tết as announced: exactly those days, nothing given back.
        var announced = new WorkingCalendar([YearSettings.Default(2027) with { TetDaysOff = new DateSpan(D("05/02/2027"), D("14/02/2027")) }]);
        Assert.True(announced.IsWorkingDay(D("04/02/2027")));
        Assert.False(announced.IsWorkingDay(D("12/02/2027")));
        Assert.True(announced.IsWorkingDay(D("15/02/2027")));

        // An office that works on Saturdays: a Saturday is a working day, a holiday on it is not given back.
        var saturdays = new WorkingCalendar([YearSettings.Default(2022) with { WeeklyRest = WeeklyRest.SundayOnly }]);
        Assert.True(saturdays.IsWorkingDay(D("07/05/2022")));
        Assert.Equal(DayKind.CompensatoryDayOff, saturdays.Day(D("02/05/2022")).Kind); // for Sunday 01/05
        Assert.True(saturdays.IsWorkingDay(D("03/05/2022")));
    }

    [Fact]
    public void Five_working_days_from_the_Friday_before_Tet_2026_end_on_27_02_and_say_how_they_were_counted()
    {
        var term = WorkingDaysTerm.Create(5, D("13/02/2026"), "d").Value;
        var count = term.Count(Law);

        Assert.Equal(D("27/02/2026"), term.LastDay(Law));
        Assert.Equal(VietnamTime.EndOf(D("27/02/2026")), term.DeadlineIn(Law).PassesAt);
        Assert.Equal(
            "Không tính ngày 13/02/2026; 05 ngày làm việc là từ 23/02/2026 đến 27/02/2026, không tính 9 ngày nghỉ: Tết Nguyên đán 16/02–20/02; 4 ngày thứ Bảy, Chủ nhật.",
            count.Explanation);
    }

    [Theory]
    [InlineData("02/02/2027", 3, "12/02/2027")] // Tết 2027: 04/02–10/02 off
    [InlineData("24/04/2026", 5, "06/05/2026")] // Giỗ Tổ (given back 27/04), 30/04–01/05 and the weekend
    [InlineData("29/04/2022", 2, "05/05/2022")] // 30/04–01/05/2022 on a weekend, given back 02–03/05
    [InlineData("31/08/2026", 3, "07/09/2026")] // 01/09–02/09/2026 off
    [InlineData("28/08/2024", 4, "05/09/2024")] // 02/09–03/09/2024 off
    [InlineData("11/03/2026", 5, "18/03/2026")] // no holiday: only the weekend
    public void Deadlines_in_working_days_step_over_holidays_and_weekends(string from, int days, string last)
    {
        Assert.Equal(D(last), WorkingDaysTerm.Create(days, D(from), "d").Value.LastDay(Law));
    }

    [Fact]
    public void Before_a_date_keeps_its_meaning_even_when_the_day_before_is_a_holiday()
    {
        Assert.Equal(D("17/02/2026"), Deadline.ParseWritten("Trước ngày 18/02/2026", "d").Value.LastDay);
    }

    [Fact]
    public void Days_overdue_count_working_days_after_the_last_day_and_at_least_one_once_passed()
    {
        var deadline = Deadline.EndOfDay(D("13/02/2026"));

        Assert.Equal(0, Law.DaysOverdue(deadline, At("13/02/2026", 23)));
        Assert.Equal(1, Law.DaysOverdue(deadline, At("14/02/2026", 0)));
        Assert.Equal(1, Law.DaysOverdue(deadline, At("22/02/2026", 12)));
        Assert.Equal(1, Law.DaysOverdue(deadline, At("23/02/2026", 9)));
        Assert.Equal(3, Law.DaysOverdue(deadline, At("25/02/2026", 9)));
        Assert.Equal(12, deadline.DaysOverdue(At("25/02/2026", 9)));
        Assert.Equal(12, DayCount.InCalendarDays.DaysOverdue(deadline, At("25/02/2026", 9)));
        Assert.Equal(3, new DayCount(DayUnit.WorkingDays, Law).DaysOverdue(deadline, At("25/02/2026", 9)));
    }

    [Fact]
    public void Days_left_count_working_days_after_today()
    {
        var count = new DayCount(DayUnit.WorkingDays, Law);
        var deadline = Deadline.EndOfDay(D("27/02/2026"));

        Assert.Equal(5, count.DaysLeft(deadline, At("13/02/2026", 9)));
        Assert.Equal(14, DayCount.InCalendarDays.DaysLeft(deadline, At("13/02/2026", 9)));
        Assert.Equal(0, count.DaysLeft(deadline, At("27/02/2026", 9)));
        Assert.Equal(-1, count.DaysLeft(deadline, At("28/02/2026", 9)));
    }

    [Fact]
    public void The_ladder_can_ask_for_send_times_on_working_days()
    {
        var deadline = Deadline.EndOfDay(D("13/02/2026"));

        // The n-th working day after the deadline, at the send hour.
        Assert.Equal(At("23/02/2026", 7), Law.NthWorkingDayAfterAt(deadline, 1, 7));
        Assert.Equal(At("24/02/2026", 7), Law.NthWorkingDayAfterAt(deadline, 2, 7));
        Assert.Equal(At("11/02/2026", 7), Law.NthWorkingDayBeforeAt(deadline, 2, 7));

        // The next working day's send hour at or after an instant: a day off waits for the next working day.
        Assert.Equal(At("23/02/2026", 7), Law.NextSendTime(At("14/02/2026", 0), 7));
        Assert.Equal(At("23/02/2026", 7), Law.NextSendTime(At("23/02/2026", 7), 7));
        Assert.Equal(At("24/02/2026", 7), Law.NextSendTime(At("23/02/2026", 7).AddTicks(1), 7));
        Assert.Equal(At("13/02/2026", 7), Law.NextSendTime(At("13/02/2026", 6), 7));

        // A reminder due on a day off goes on the working day before.
        Assert.Equal(At("13/02/2026", 7), Law.SendTimeOnOrBefore(D("17/02/2026"), 7));
        Assert.Equal(At("12/02/2026", 7), Law.SendTimeOnOrBefore(D("12/02/2026"), 7));
        Assert.Equal(At("13/02/2026", 7), Law.PreviousSendTime(At("22/02/2026", 23), 7));
        Assert.Equal(At("23/02/2026", 7), Law.PreviousSendTime(At("23/02/2026", 8), 7));
    }

    [Fact]
    public void Every_year_has_about_250_working_days_and_none_is_searched_forever()
    {
        for (var year = 2024; year <= 2035; year++)
        {
            Assert.InRange(Law.Year(year).WorkingDays, 240, 255);
        }

        Assert.Equal(D("03/01/2199"), Law.NthWorkingDayAfter(D("31/12/2198"), 2)); // 01/01 off, 02 and 03/01/2199 working
    }

    [Fact]
    public void Working_days_between_two_days_are_those_a_walk_day_by_day_counts_across_years_and_the_offices_decisions()
    {
        var calendar = Law.With(YearSettings.Default(2026) with
        {
            Overrides = [new DayOverride(D("23/02/2026"), DayChange.DayOff, "Nghỉ thêm"), new DayOverride(D("07/03/2026"), DayChange.WorkingDay, "Làm bù")],
        });
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var after = D("01/01/2025").AddDays(random.Next(0, 3 * 366));
            var through = after.AddDays(random.Next(-5, 800));
            var walked = 0;
            for (var day = after.AddDays(1); day <= through; day = day.AddDays(1))
            {
                walked += calendar.IsWorkingDay(day) ? 1 : 0;
            }

            Assert.Equal(walked, calendar.WorkingDaysBetween(after, through));
        }
    }

    private static DateOnly D(string text) => DateOnly.ParseExact(text, "dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static DateTimeOffset At(string date, int hour) => new(D(date).ToDateTime(new TimeOnly(hour, 0)), Vn);
}
