using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Calendar;

/// <summary>What kind of day a day is.</summary>
public enum DayKind
{
    /// <summary>An ordinary working day.</summary>
    Working,

    /// <summary>The weekly rest (thứ Bảy, Chủ nhật).</summary>
    WeeklyRest,

    /// <summary>A public holiday of the Labour Code (Tết Dương lịch, Tết Nguyên đán, Giỗ Tổ, 30/4, 1/5, Quốc khánh), whatever weekday it falls on.</summary>
    Holiday,

    /// <summary>The working day given back for a holiday that fell on the weekly rest (nghỉ bù).</summary>
    CompensatoryDayOff,

    /// <summary>A day off the office added (a bridging day the government granted, a local holiday).</summary>
    ExtraDayOff,

    /// <summary>A rest day the office made a working day (ngày làm bù).</summary>
    MakeUpWorkingDay,
}

/// <summary>One day of the calendar: its kind, its name ("Tết Nguyên đán", "Nghỉ bù Giỗ Tổ Hùng Vương", "thứ Bảy") and, for holidays, which day it is ("mùng 1 Tết", "10/3 âm lịch").</summary>
public sealed record CalendarDay(DateOnly Date, DayKind Kind, string Name, string? Detail = null)
{
    public bool IsWorkingDay => Kind is DayKind.Working or DayKind.MakeUpWorkingDay;

    public string Weekday => VietnamTime.WeekdayName(Date);
}

/// <summary>
/// One year's days off and working days in Vietnam, from the Labour Code and the office's
/// decisions (<see cref="YearSettings"/>). Bộ luật Lao động 2019, Điều 112: Tết Dương lịch (01/01),
/// Tết Âm lịch (05 ngày), Ngày Chiến thắng (30/04), Ngày Quốc tế Lao động (01/05), Quốc khánh (02/09
/// and a day beside it), Giỗ Tổ Hùng Vương (10/3 âm lịch); Điều 111: a holiday that falls on the
/// weekly rest is given back on the next working day (nghỉ bù). Tết's five days, unless the office
/// entered the government's announcement, run from the day before mùng 1 to mùng 4; those that fall
/// on a Saturday are given back on the working day before them, those on a Sunday on the working day
/// after (how the government's yearly announcements place them: 20–26/01/2023, 08–14/02/2024,
/// 25/01–02/02/2025, 14–22/02/2026 with the weekends). Dates are Vietnam calendar days.
/// </summary>
public sealed class YearCalendar
{
    private readonly Dictionary<DateOnly, CalendarDay> _special;

    private YearCalendar(YearSettings settings, DateOnly? tet, DateOnly? hungKings, DateSpan? tetDaysOff, NationalDayNeighbour neighbour, Dictionary<DateOnly, CalendarDay> special)
    {
        Settings = settings;
        Tet = tet;
        HungKings = hungKings;
        TetDaysOff = tetDaysOff;
        NationalDayNeighbour = neighbour;
        _special = special;
    }

    public YearSettings Settings { get; }

    public int Year => Settings.Year;

    /// <summary>Mùng 1 Tết of this year (null outside the years the lunar calendar is computed for).</summary>
    public DateOnly? Tet { get; }

    /// <summary>Giỗ Tổ Hùng Vương, 10/3 âm lịch.</summary>
    public DateOnly? HungKings { get; }

    /// <summary>Tết's days off in effect: the office's, or the Labour Code's five days.</summary>
    public DateSpan? TetDaysOff { get; }

    /// <summary>The day beside 02/09 in effect.</summary>
    public NationalDayNeighbour NationalDayNeighbour { get; }

    /// <summary>Every day that is not an ordinary working day or an ordinary weekly rest: holidays (also those on a weekend), days given back, extra days off, make-up working days; in date order.</summary>
    public IReadOnlyList<CalendarDay> SpecialDays => _special.Values.OrderBy(d => d.Date).ToList();

    public int WorkingDays => WorkingDaysThrough(new DateOnly(Year, 12, 31));

    /// <summary>How many working days there are from 01/01 of the year up to and including <paramref name="date"/> (of this year).</summary>
    public int WorkingDaysThrough(DateOnly date)
    {
        if (date.Year != Year)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, $"Not a day of {Year}.");
        }

        return (_workingThrough ??= CountWorkingDays())[date.DayOfYear - 1];
    }

    /// <summary>For each day of the year, the working days from 01/01 through it: made once (days overdue are counted often, over long spans).</summary>
    private int[]? _workingThrough;

    private int[] CountWorkingDays()
    {
        var counts = new int[DateTime.IsLeapYear(Year) ? 366 : 365];
        var count = 0;
        for (var day = new DateOnly(Year, 1, 1); day.Year == Year; day = day.AddDays(1))
        {
            count += Day(day).IsWorkingDay ? 1 : 0;
            counts[day.DayOfYear - 1] = count;
        }

        return counts;
    }

    public CalendarDay Day(DateOnly date)
    {
        if (date.Year != Year)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date, $"Not a day of {Year}.");
        }

        return _special.TryGetValue(date, out var special) ? special
            : IsWeeklyRest(Settings.WeeklyRest, date) ? new CalendarDay(date, DayKind.WeeklyRest, VietnamTime.WeekdayName(date))
            : new CalendarDay(date, DayKind.Working, VietnamTime.WeekdayName(date));
    }

    public bool IsWorkingDay(DateOnly date) => Day(date).IsWorkingDay;

    public static bool IsWeeklyRest(WeeklyRest rest, DateOnly date) =>
        date.DayOfWeek == DayOfWeek.Sunday || (rest == WeeklyRest.SaturdayAndSunday && date.DayOfWeek == DayOfWeek.Saturday);

    /// <summary>The Labour Code's Tết: five days, from the day before mùng 1 to mùng 4.</summary>
    public static DateSpan DefaultTetDaysOff(DateOnly tet) => new(tet.AddDays(-1), tet.AddDays(3));

    /// <summary>
    /// The day beside 02/09 the government usually chooses: the one that joins the break to a weekend
    /// (03/09 when 02/09 is a Monday or a Thursday, 01/09 when it is a Tuesday, Friday or Saturday,
    /// 03/09 after a Sunday), otherwise the day before — as in 2021–2025.
    /// </summary>
    public static NationalDayNeighbour DefaultNationalDayNeighbour(int year) => new DateOnly(year, 9, 2).DayOfWeek switch
    {
        DayOfWeek.Monday or DayOfWeek.Thursday or DayOfWeek.Sunday => NationalDayNeighbour.After,
        _ => NationalDayNeighbour.Before,
    };

    public static YearCalendar Compute(YearSettings settings)
    {
        var year = settings.Year;
        var rest = settings.WeeklyRest;
        var special = new Dictionary<DateOnly, CalendarDay>();
        var givenBackAfter = new List<CalendarDay>();
        void Holiday(DateOnly day, string name, string? detail, bool givesBack)
        {
            var holiday = new CalendarDay(day, DayKind.Holiday, name, detail);
            special[day] = holiday;
            if (givesBack && IsWeeklyRest(rest, day))
            {
                givenBackAfter.Add(holiday);
            }
        }

        Holiday(new DateOnly(year, 1, 1), "Tết Dương lịch", null, givesBack: true);

        DateOnly? tet = null, hungKings = null;
        DateSpan? tetDaysOff = null;
        var givenBackBeforeTet = new List<CalendarDay>();
        if (LunarCalendar.Covers(year))
        {
            tet = LunarCalendar.NewYear(year);
            hungKings = LunarCalendar.HungKingsDay(year);
            var byLaw = settings.TetDaysOff is null;
            tetDaysOff = settings.TetDaysOff ?? DefaultTetDaysOff(tet.Value);
            foreach (var day in tetDaysOff.Value.Each())
            {
                var holiday = new CalendarDay(day, DayKind.Holiday, "Tết Nguyên đán", LunarCalendar.ToLunar(day).TetName);
                special[day] = holiday;
                if (byLaw && IsWeeklyRest(rest, day))
                {
                    (day.DayOfWeek == DayOfWeek.Saturday ? givenBackBeforeTet : givenBackAfter).Add(holiday);
                }
            }

            Holiday(hungKings.Value, "Giỗ Tổ Hùng Vương", "10/3 âm lịch", givesBack: true);
        }

        Holiday(new DateOnly(year, 4, 30), "Ngày Chiến thắng", null, givesBack: true);
        Holiday(new DateOnly(year, 5, 1), "Ngày Quốc tế Lao động", null, givesBack: true);
        var neighbour = settings.NationalDayNeighbour ?? DefaultNationalDayNeighbour(year);
        Holiday(new DateOnly(year, 9, 2), "Quốc khánh", null, givesBack: true);
        Holiday(new DateOnly(year, 9, neighbour == NationalDayNeighbour.Before ? 1 : 3), "Quốc khánh", "ngày liền kề", givesBack: true);

        bool Free(DateOnly day) => day.Year == year && !IsWeeklyRest(rest, day) && !special.ContainsKey(day);
        foreach (var holiday in givenBackBeforeTet)
        {
            var day = tetDaysOff!.Value.From.AddDays(-1);
            while (day.Year == year && !Free(day))
            {
                day = day.AddDays(-1);
            }

            GiveBack(day, holiday);
        }

        foreach (var holiday in givenBackAfter.OrderBy(h => h.Date))
        {
            var day = holiday.Date.AddDays(1);
            while (day.Year == year && !Free(day))
            {
                day = day.AddDays(1);
            }

            GiveBack(day, holiday);
        }

        void GiveBack(DateOnly day, CalendarDay holiday)
        {
            if (day.Year == year)
            {
                special[day] = new CalendarDay(day, DayKind.CompensatoryDayOff, $"Nghỉ bù {holiday.Name}", $"{holiday.Name} trùng {holiday.Weekday} {VietnamTime.FormatDayMonth(holiday.Date)}");
            }
        }

        foreach (var decided in settings.Overrides)
        {
            special[decided.Date] = decided.Change == DayChange.WorkingDay
                ? new CalendarDay(decided.Date, DayKind.MakeUpWorkingDay, decided.Reason)
                : new CalendarDay(decided.Date, DayKind.ExtraDayOff, decided.Reason);
        }

        return new YearCalendar(settings, tet, hungKings, tetDaysOff, neighbour, special);
    }
}
