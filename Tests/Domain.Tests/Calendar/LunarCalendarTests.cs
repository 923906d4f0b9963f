using System.Globalization;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Domain.Calendar;

/// <summary>The lunar calendar agrees with published dates and, day by day, with an independent ephemeris.</summary>
public sealed class LunarCalendarTests
{
    /// <summary>
    /// Published dates: mùng 1 Tết and Giỗ Tổ Hùng Vương (10/3 âm lịch), 2024–2035, as listed by the
    /// python-holidays project for the Vietnamese calendar (holidays/calendars/chinese.py:
    /// LUNAR_NEW_YEAR_DATES and HUNG_KINGS_DATES with their VIETNAMESE_CALENDAR exceptions — 2030's
    /// Tết is 02/02 in Vietnam, 03/02 in China); Tết 2026 = 17/02/2026 as the government's holiday
    /// announcement for Bính Ngọ says ("từ thứ Bảy 14/2/2026 (27 tháng Chạp) đến hết Chủ nhật 22/2/2026 (mùng 6 tháng Giêng)").
    /// </summary>
    public static TheoryData<int, string, string> Published => new()
    {
        { 2024, "10/02/2024", "18/04/2024" },
        { 2025, "29/01/2025", "07/04/2025" },
        { 2026, "17/02/2026", "26/04/2026" },
        { 2027, "06/02/2027", "16/04/2027" },
        { 2028, "26/01/2028", "04/04/2028" },
        { 2029, "13/02/2029", "23/04/2029" },
        { 2030, "02/02/2030", "12/04/2030" },
        { 2031, "23/01/2031", "01/04/2031" },
        { 2032, "11/02/2032", "19/04/2032" },
        { 2033, "31/01/2033", "09/04/2033" },
        { 2034, "19/02/2034", "28/04/2034" },
        { 2035, "08/02/2035", "17/04/2035" },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void Tet_and_the_Hung_Kings_day_fall_on_the_published_dates(int year, string tet, string hungKings)
    {
        Assert.Equal(Date(tet), LunarCalendar.NewYear(year));
        Assert.Equal(Date(hungKings), LunarCalendar.HungKingsDay(year));
        Assert.Equal(new LunarDate(year, 1, 1), LunarCalendar.ToLunar(Date(tet)));
        Assert.Equal(new LunarDate(year, 3, 10), LunarCalendar.ToLunar(Date(hungKings)));
    }

    [Fact]
    public void Every_day_from_December_2023_to_February_2036_has_the_lunar_date_of_the_reference_table()
    {
        // Tests/Fixtures/lunar/thang-am-lich.txt: each month's first day and number (n = leap),
        // computed from an ephemeris by scripts/regenerate-lunar-fixture.sh, not by this code.
        var months = File.ReadAllLines(Repository.Fixture("lunar", "thang-am-lich.txt"))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split(' '))
            .Select(p => (Start: DateOnly.ParseExact(p[0], "yyyy-MM-dd", CultureInfo.InvariantCulture), Month: int.Parse(p[1].TrimEnd('n'), CultureInfo.InvariantCulture), Leap: p[1].EndsWith('n')))
            .ToList();
        Assert.True(months.Count > 150);
        Assert.Equal(4, months.Count(m => m.Leap)); // 2025 (6), 2028 (5), 2031 (3), 2033 (11)

        var checkedDays = 0;
        for (var i = 0; i + 1 < months.Count; i++)
        {
            var (start, month, leap) = months[i];
            var lunarYear = start.Year + (month >= 11 && start.Month <= 2 ? -1 : 0);
            for (var day = start; day < months[i + 1].Start; day = day.AddDays(1))
            {
                var expected = new LunarDate(lunarYear, month, day.DayNumber - start.DayNumber + 1, leap);
                Assert.Equal(expected, LunarCalendar.ToLunar(day));
                Assert.Equal(day, LunarCalendar.ToSolar(expected));
                checkedDays++;
            }
        }

        Assert.True(checkedDays > 4400, $"only {checkedDays} days compared");
    }

    [Fact]
    public void A_lunar_day_that_does_not_exist_has_no_solar_date()
    {
        Assert.Null(LunarCalendar.ToSolar(new LunarDate(2026, 6, 1, IsLeapMonth: true))); // 2026 has no leap month
        Assert.Equal(Date("25/07/2025"), LunarCalendar.ToSolar(new LunarDate(2025, 6, 1, IsLeapMonth: true)));
        Assert.Null(LunarCalendar.ToSolar(new LunarDate(2025, 5, 1, IsLeapMonth: true))); // 2025's leap month is the 6th
        Assert.Null(LunarCalendar.ToSolar(new LunarDate(2026, 13, 1)));
        Assert.Null(LunarCalendar.ToSolar(new LunarDate(2026, 1, 31)));
    }

    [Fact]
    public void The_days_around_Tet_have_their_names()
    {
        Assert.Equal("27 tháng Chạp", LunarCalendar.ToLunar(Date("14/02/2026")).TetName);
        Assert.Equal("29 tháng Chạp", LunarCalendar.ToLunar(Date("16/02/2026")).TetName); // Ất Tỵ's last month has 29 days: no "30 Tết"
        Assert.Equal("30 tháng Chạp", LunarCalendar.ToLunar(Date("09/02/2024")).TetName);
        Assert.Equal("mùng 1 Tết", LunarCalendar.ToLunar(Date("17/02/2026")).TetName);
        Assert.Equal("mùng 4 Tết", LunarCalendar.ToLunar(Date("20/02/2026")).TetName);
        Assert.Equal("mùng 6 Tết", LunarCalendar.ToLunar(Date("22/02/2026")).TetName);
        Assert.Equal("10/3 âm lịch", LunarCalendar.ToLunar(Date("26/04/2026")).Display);
    }

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "dd/MM/yyyy", CultureInfo.InvariantCulture);
}
