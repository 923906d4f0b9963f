using System.Globalization;

namespace ServerlessWorkflow.Domain.Calendar;

/// <summary>
/// A day of the Vietnamese lunar calendar (âm lịch). <see cref="Year"/> is the Gregorian year in
/// which that lunar year's month 1 begins (Tết Bính Ngọ, 1/1/2026 âm lịch, is 17/02/2026);
/// <see cref="IsLeapMonth"/> marks the repeated month of a 13-month year (tháng nhuận).
/// </summary>
public readonly record struct LunarDate(int Year, int Month, int Day, bool IsLeapMonth = false)
{
    /// <summary>How a calendar prints it: "10/3 âm lịch", "15/6 nhuận âm lịch".</summary>
    public string Display => string.Create(CultureInfo.InvariantCulture, $"{Day}/{Month}{(IsLeapMonth ? " nhuận" : string.Empty)} âm lịch");

    /// <summary>The day's name around Tết: "mùng 1 Tết", "30 tháng Chạp"; null for other days.</summary>
    public string? TetName => (Month, Day) switch
    {
        (1, <= 10) => string.Create(CultureInfo.InvariantCulture, $"mùng {Day} Tết"),
        (12, >= 20) when !IsLeapMonth => string.Create(CultureInfo.InvariantCulture, $"{Day} tháng Chạp"),
        _ => null,
    };
}

/// <summary>
/// The Vietnamese lunar calendar, computed for any year from <see cref="FirstYear"/> to
/// <see cref="LastYear"/>. A month begins on the day of the new moon in Vietnam's time (UTC+7,
/// the meridian 105° E the calendar has used since 1968 — which is why Tết sometimes falls a day
/// before the Chinese New Year, e.g. 02/02/2030); month 11 is the month that contains the winter
/// solstice; a year with 13 months between two months 11 repeats the first month in which the sun
/// enters no new 30° sign (no major solar term, trung khí). New moons and the sun's longitude
/// follow the series of Jean Meeus, <i>Astronomical Algorithms</i> (the method Hồ Ngọc Đức
/// published for the Vietnamese calendar). Verified day by day against an ephemeris and against
/// published Tết and Giỗ Tổ dates for 2024–2035 (Tests/Domain.Tests/Calendar/LunarCalendarTests).
/// </summary>
public static class LunarCalendar
{
    public const int FirstYear = 1900;
    public const int LastYear = 2199;

    /// <summary>Vietnam's time zone, in hours east of Greenwich.</summary>
    private const double TimeZone = 7.0;

    private const double SynodicMonth = 29.530588853;

    /// <summary>Julian day number of 1900-01-01 plus the mean new moon's offset: the epoch of <see cref="NewMoon"/>'s index.</summary>
    private const double Epoch = 2415021.076998695;

    private const int JulianDayOfDayNumberZero = 1721426;

    /// <summary>The lunar date of <paramref name="date"/>.</summary>
    public static LunarDate ToLunar(DateOnly date)
    {
        CheckRange(date.Year);
        var day = JulianDay(date);
        var k = (int)Math.Floor((day - Epoch) / SynodicMonth);
        var monthStart = NewMoonDay(k + 1);
        if (monthStart > day)
        {
            monthStart = NewMoonDay(k);
        }

        var a11 = Month11(date.Year);
        var b11 = a11;
        int lunarYear;
        if (a11 >= monthStart)
        {
            lunarYear = date.Year;
            a11 = Month11(date.Year - 1);
        }
        else
        {
            lunarYear = date.Year + 1;
            b11 = Month11(date.Year + 1);
        }

        var lunarDay = day - monthStart + 1;
        var diff = (monthStart - a11) / 29;
        var leap = false;
        var month = diff + 11;
        if (b11 - a11 > 365)
        {
            var leapOffset = LeapMonthOffset(a11);
            if (diff >= leapOffset)
            {
                month = diff + 10;
                leap = diff == leapOffset;
            }
        }

        if (month > 12)
        {
            month -= 12;
        }

        if (month >= 11 && diff < 4)
        {
            lunarYear -= 1;
        }

        return new LunarDate(lunarYear, month, lunarDay, leap);
    }

    /// <summary>The Gregorian date of <paramref name="date"/>, or null when no such lunar day exists (a leap month the year does not have, the 30th of a 29-day month).</summary>
    public static DateOnly? ToSolar(LunarDate date)
    {
        if (date.Month is < 1 or > 12 || date.Day is < 1 or > 30 || date.Year <= FirstYear || date.Year > LastYear)
        {
            return null;
        }

        int a11, b11;
        if (date.Month < 11)
        {
            a11 = Month11(date.Year - 1);
            b11 = Month11(date.Year);
        }
        else
        {
            a11 = Month11(date.Year);
            b11 = Month11(date.Year + 1);
        }

        var k = (int)Math.Floor(0.5 + ((a11 - Epoch) / SynodicMonth));
        var offset = date.Month - 11;
        if (offset < 0)
        {
            offset += 12;
        }

        if (b11 - a11 > 365)
        {
            var leapOffset = LeapMonthOffset(a11);
            var leapMonth = leapOffset - 2;
            if (leapMonth < 0)
            {
                leapMonth += 12;
            }

            if (date.IsLeapMonth && date.Month != leapMonth)
            {
                return null;
            }

            if (date.IsLeapMonth || offset >= leapOffset)
            {
                offset += 1;
            }
        }
        else if (date.IsLeapMonth)
        {
            return null;
        }

        var monthStart = NewMoonDay(k + offset);
        var solar = FromJulianDay(monthStart + date.Day - 1);
        return ToLunar(solar) == date ? solar : null;
    }

    /// <summary>Mùng 1 Tết (1/1 âm lịch) of the lunar year that begins in <paramref name="year"/>.</summary>
    public static DateOnly NewYear(int year) =>
        ToSolar(new LunarDate(year, 1, 1)) ?? throw new ArgumentOutOfRangeException(nameof(year), year, $"Only years {FirstYear + 1} to {LastYear} are computed.");

    /// <summary>Giỗ Tổ Hùng Vương: 10/3 âm lịch of the lunar year that begins in <paramref name="year"/>.</summary>
    public static DateOnly HungKingsDay(int year) =>
        ToSolar(new LunarDate(year, 3, 10)) ?? throw new ArgumentOutOfRangeException(nameof(year), year, $"Only years {FirstYear + 1} to {LastYear} are computed.");

    /// <summary>Whether <paramref name="year"/> is one whose lunar dates are computed.</summary>
    public static bool Covers(int year) => year > FirstYear && year <= LastYear;

    private static void CheckRange(int year)
    {
        if (year < FirstYear || year > LastYear + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, $"Only years {FirstYear} to {LastYear + 1} are computed.");
        }
    }

    private static int JulianDay(DateOnly date) => date.DayNumber + JulianDayOfDayNumberZero;

    private static DateOnly FromJulianDay(int julianDay) => DateOnly.FromDayNumber(julianDay - JulianDayOfDayNumberZero);

    /// <summary>The Julian day (with fraction, UT) of the <paramref name="k"/>-th new moon after the epoch (Meeus, ch. 49, truncated series).</summary>
    private static double NewMoon(int k)
    {
        const double dr = Math.PI / 180;
        var t = k / 1236.85;
        var t2 = t * t;
        var t3 = t2 * t;
        var jd = 2415020.75933 + (29.53058868 * k) + (0.0001178 * t2) - (0.000000155 * t3);
        jd += 0.00033 * Math.Sin((166.56 + (132.87 * t) - (0.009173 * t2)) * dr);
        var m = 359.2242 + (29.10535608 * k) - (0.0000333 * t2) - (0.00000347 * t3); // the sun's mean anomaly
        var mp = 306.0253 + (385.81691806 * k) + (0.0107306 * t2) + (0.00001236 * t3); // the moon's mean anomaly
        var f = 21.2964 + (390.67050646 * k) - (0.0016528 * t2) - (0.00000239 * t3); // the moon's argument of latitude
        var c = ((0.1734 - (0.000393 * t)) * Math.Sin(m * dr)) + (0.0021 * Math.Sin(2 * dr * m));
        c = c - (0.4068 * Math.Sin(mp * dr)) + (0.0161 * Math.Sin(dr * 2 * mp));
        c -= 0.0004 * Math.Sin(dr * 3 * mp);
        c = c + (0.0104 * Math.Sin(dr * 2 * f)) - (0.0051 * Math.Sin(dr * (m + mp)));
        c = c - (0.0074 * Math.Sin(dr * (m - mp))) + (0.0004 * Math.Sin(dr * ((2 * f) + m)));
        c = c - (0.0004 * Math.Sin(dr * ((2 * f) - m))) - (0.0006 * Math.Sin(dr * ((2 * f) + mp)));
        c = c + (0.0010 * Math.Sin(dr * ((2 * f) - mp))) + (0.0005 * Math.Sin(dr * ((2 * mp) + m)));
        var deltaT = t < -11
            ? 0.001 + (0.000839 * t) + (0.0002261 * t2) - (0.00000845 * t3) - (0.000000081 * t * t3)
            : -0.000278 + (0.000265 * t) + (0.000262 * t2);
        return jd + c - deltaT;
    }

    /// <summary>The day (Julian day number) on which the <paramref name="k"/>-th new moon falls in Vietnam.</summary>
    private static int NewMoonDay(int k) => (int)Math.Floor(NewMoon(k) + 0.5 + (TimeZone / 24));

    /// <summary>The sun's apparent longitude, in radians 0–2π, at Julian day <paramref name="jd"/> (UT).</summary>
    private static double SunLongitude(double jd)
    {
        const double dr = Math.PI / 180;
        var t = (jd - 2451545.0) / 36525;
        var t2 = t * t;
        var m = 357.52910 + (35999.05030 * t) - (0.0001559 * t2) - (0.00000048 * t * t2);
        var l0 = 280.46645 + (36000.76983 * t) + (0.0003032 * t2);
        var dl = (1.914600 - (0.004817 * t) - (0.000014 * t2)) * Math.Sin(dr * m);
        dl = dl + ((0.019993 - (0.000101 * t)) * Math.Sin(dr * 2 * m)) + (0.000290 * Math.Sin(dr * 3 * m));
        var l = (l0 + dl) * dr;
        return l - (Math.PI * 2 * Math.Floor(l / (Math.PI * 2)));
    }

    /// <summary>Which 30° sign (0–11) the sun is in at the start (00:00 Vietnam) of day <paramref name="julianDay"/>.</summary>
    private static int SunSign(int julianDay) => (int)Math.Floor(SunLongitude(julianDay - 0.5 - (TimeZone / 24)) / Math.PI * 6);

    /// <summary>The first day of month 11 (the month of the winter solstice) that begins in <paramref name="year"/> or just before its end.</summary>
    private static int Month11(int year)
    {
        var offset = JulianDay(new DateOnly(year, 12, 31)) - 2415021;
        var k = (int)Math.Floor(offset / SynodicMonth);
        var start = NewMoonDay(k);
        return SunSign(start) >= 9 ? NewMoonDay(k - 1) : start;
    }

    /// <summary>Counting from the month 11 that begins on <paramref name="month11"/>, the offset of the leap month: the first month with no major solar term.</summary>
    private static int LeapMonthOffset(int month11)
    {
        var k = (int)Math.Floor(((month11 - Epoch) / SynodicMonth) + 0.5);
        var i = 1;
        var sign = SunSign(NewMoonDay(k + i));
        int last;
        do
        {
            last = sign;
            i++;
            sign = SunSign(NewMoonDay(k + i));
        }
        while (sign != last && i < 14);

        return i - 1;
    }
}
