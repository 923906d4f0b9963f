using System.Globalization;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Calendar;

/// <summary>The days of the week that are the weekly rest (ngày nghỉ hằng tuần).</summary>
public enum WeeklyRest
{
    /// <summary>Saturday and Sunday: the 40-hour week of state offices (Quyết định 188/1999/QĐ-TTg).</summary>
    SaturdayAndSunday,

    /// <summary>Sunday only: an office that works on Saturdays.</summary>
    SundayOnly,
}

/// <summary>Which day beside 02/09 is Quốc khánh's second day off ("01 ngày liền kề trước hoặc sau", Bộ luật Lao động 2019, Điều 112).</summary>
public enum NationalDayNeighbour
{
    /// <summary>01/09.</summary>
    Before,

    /// <summary>03/09.</summary>
    After,
}

/// <summary>What the office makes of one day against the rules: an extra day off, or a working day (ngày làm bù).</summary>
public enum DayChange
{
    DayOff,
    WorkingDay,
}

/// <summary>One day the office decided differently from the rules, and why (as it will be shown: "Nghỉ bù Tết Dương lịch", "Làm bù cho ngày 02/01").</summary>
public sealed record DayOverride(DateOnly Date, DayChange Change, string Reason);

/// <summary>An inclusive run of days, <see cref="From"/> to <see cref="To"/>.</summary>
public readonly record struct DateSpan(DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    public bool Contains(DateOnly day) => day >= From && day <= To;

    public IEnumerable<DateOnly> Each()
    {
        for (var day = From; day <= To; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>"14/02/2026–22/02/2026", or one date when the span is a single day.</summary>
    public string Display => From == To ? VietnamTime.Format(From) : $"{VietnamTime.Format(From)}–{VietnamTime.Format(To)}";
}

/// <summary>
/// What the office decides about one year's working days, on top of the Labour Code's rules
/// (<see cref="YearCalendar"/>): the weekly rest, Tết's days off as the government announced them
/// (null: the Labour Code's five days, see <see cref="YearCalendar.DefaultTetDaysOff"/>), which day
/// beside 02/09 is off (null: the usual choice, see <see cref="YearCalendar.DefaultNationalDayNeighbour"/>),
/// and single days decided otherwise: extra days off and make-up working days.
/// </summary>
public sealed record YearSettings(int Year, WeeklyRest WeeklyRest, DateSpan? TetDaysOff, NationalDayNeighbour? NationalDayNeighbour, IReadOnlyList<DayOverride> Overrides)
{
    public const int FirstYear = 2000;
    public const int LastYear = 2199;

    public static YearSettings Default(int year) => new(year, WeeklyRest.SaturdayAndSunday, null, null, []);

    /// <summary>
    /// What changed from <paramref name="before"/> to this, as the office's change history records
    /// it ("Thêm ngày nghỉ 02/01/2026: Nghỉ bù Tết Dương lịch"); empty when nothing did.
    /// </summary>
    public IReadOnlyList<string> ChangesFrom(YearSettings before)
    {
        var changes = new List<string>();
        if (WeeklyRest != before.WeeklyRest)
        {
            changes.Add($"Ngày nghỉ hằng tuần: {CalendarNames.Of(WeeklyRest)} (trước: {CalendarNames.Of(before.WeeklyRest)})");
        }

        if (TetDaysOff != before.TetDaysOff)
        {
            changes.Add($"Nghỉ Tết Nguyên đán: {CalendarNames.OfTet(TetDaysOff)} (trước: {CalendarNames.OfTet(before.TetDaysOff)})");
        }

        if (NationalDayNeighbour != before.NationalDayNeighbour)
        {
            changes.Add($"Ngày nghỉ liền kề Quốc khánh: {CalendarNames.Of(Year, NationalDayNeighbour)} (trước: {CalendarNames.Of(Year, before.NationalDayNeighbour)})");
        }

        var old = before.Overrides.ToDictionary(e => e.Date);
        var now = Overrides.ToDictionary(e => e.Date);
        foreach (var removed in before.Overrides.Where(e => !now.ContainsKey(e.Date)).OrderBy(e => e.Date))
        {
            changes.Add($"Bỏ {CalendarNames.Of(removed.Change)} {VietnamTime.Format(removed.Date)} ({removed.Reason})");
        }

        foreach (var added in Overrides.OrderBy(e => e.Date))
        {
            if (!old.TryGetValue(added.Date, out var was))
            {
                changes.Add($"Thêm {CalendarNames.Of(added.Change)} {VietnamTime.Format(added.Date)}: {added.Reason}");
            }
            else if (was != added)
            {
                changes.Add($"Sửa {VietnamTime.Format(added.Date)}: {CalendarNames.Of(added.Change)}, {added.Reason} (trước: {CalendarNames.Of(was.Change)}, {was.Reason})");
            }
        }

        return changes;
    }

    public override string ToString() => Year.ToString(CultureInfo.InvariantCulture);
}

/// <summary>How the calendar's choices read on the page and in the history.</summary>
public static class CalendarNames
{
    public static string Of(WeeklyRest rest) => rest == WeeklyRest.SundayOnly ? "chỉ Chủ nhật" : "thứ Bảy và Chủ nhật";

    public static string Of(DayChange change) => change == DayChange.WorkingDay ? "ngày làm bù" : "ngày nghỉ";

    public static string OfTet(DateSpan? span) => span is { } s ? $"từ {VietnamTime.Format(s.From)} đến hết {VietnamTime.Format(s.To)}" : "theo Bộ luật Lao động";

    public static string Of(int year, NationalDayNeighbour? neighbour) => neighbour switch
    {
        null => "theo cách thường chọn",
        _ => Neighbour(year, neighbour.Value),
    };

    /// <summary>"01/09/2026 (thứ Ba)".</summary>
    public static string Neighbour(int year, NationalDayNeighbour neighbour)
    {
        var day = new DateOnly(year, 9, neighbour == NationalDayNeighbour.Before ? 1 : 3);
        return $"{VietnamTime.Format(day)} ({VietnamTime.WeekdayName(day)})";
    }
}
