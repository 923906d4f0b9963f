using System.Globalization;

namespace ServerlessWorkflow.Domain.Time;

/// <summary>
/// Vietnam's civil time: Asia/Ho_Chi_Minh, a fixed UTC+07:00 with no daylight saving. Every
/// calendar question in the domain ("which day is it", "how many days are left", "the end of
/// 25/02/2026") is answered in this time, whatever the server's zone. People write dates dd/MM/yyyy.
/// </summary>
public static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public const string DateFormat = "dd/MM/yyyy";

    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>The same instant as seen on a clock in Vietnam.</summary>
    public static DateTimeOffset ToVietnam(DateTimeOffset instant) => instant.ToOffset(Offset);

    /// <summary>The calendar day in Vietnam at <paramref name="instant"/>.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToVietnam(instant).DateTime);

    /// <summary>The first instant of <paramref name="date"/> in Vietnam (00:00:00 UTC+7).</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>The instant <paramref name="date"/> ends in Vietnam: 00:00:00 UTC+7 of the next day.</summary>
    public static DateTimeOffset EndOf(DateOnly date) => StartOf(date.AddDays(1));

    public static string Format(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>dd/MM, for dates whose year goes without saying.</summary>
    public static string FormatDayMonth(DateOnly date) => date.ToString("dd/MM", CultureInfo.InvariantCulture);

    /// <summary>The weekday as Vietnamese write it: "thứ Hai" … "thứ Bảy", "Chủ nhật".</summary>
    public static string WeekdayName(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Monday => "thứ Hai",
        DayOfWeek.Tuesday => "thứ Ba",
        DayOfWeek.Wednesday => "thứ Tư",
        DayOfWeek.Thursday => "thứ Năm",
        DayOfWeek.Friday => "thứ Sáu",
        DayOfWeek.Saturday => "thứ Bảy",
        _ => "Chủ nhật",
    };

    /// <summary>The instant <paramref name="hour"/>:00 of <paramref name="date"/> in Vietnam.</summary>
    public static DateTimeOffset AtHour(DateOnly date, int hour) => StartOf(date).AddHours(hour);

    /// <summary>dd/MM/yyyy of the Vietnam day at <paramref name="instant"/>.</summary>
    public static string FormatDate(DateTimeOffset instant) => Format(DateOf(instant));

    /// <summary>HH:mm dd/MM/yyyy in Vietnam time.</summary>
    public static string FormatDateTime(DateTimeOffset instant) => ToVietnam(instant).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>A date as the API (ISO, <c>2026-02-13</c>) or people (<see cref="TryParseDate"/>) write it.</summary>
    public static bool TryParseIsoOrWritten(string? text, out DateOnly date) =>
        DateOnly.TryParseExact((text ?? string.Empty).Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) || TryParseDate(text, out date);

    /// <summary>Parses a date as people write it: d/M/yyyy or dd/MM/yyyy (also with '-' or '.').</summary>
    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(
            (text ?? string.Empty).Trim(),
            ["d/M/yyyy", "dd/MM/yyyy", "d-M-yyyy", "d.M.yyyy"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out date);
}
