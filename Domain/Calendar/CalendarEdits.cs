using System.Globalization;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Calendar;

/// <summary>A day the office decides otherwise, as typed: date (dd/MM/yyyy or ISO), <c>day-off</c> or <c>working-day</c>, reason.</summary>
public sealed record DayOverrideInput(string? Date, string? Change, string? Reason);

/// <summary>A year's settings as typed: weekly rest (<c>saturday-and-sunday</c>, <c>sunday-only</c>), Tết's days off (both empty: the Labour Code's), the day beside 02/09 (<c>before</c>, <c>after</c>, empty: the usual one).</summary>
public sealed record YearSettingsInput(string? WeeklyRest, string? TetFrom, string? TetTo, string? NationalDay);

/// <summary>
/// The office's edits of a year, each validated with every problem named by its field and
/// phrased for the office: the year's settings, adding or changing a day, removing a day, or (the
/// API) the whole year at once. An edit that would change nothing is no error: it saves nothing.
/// </summary>
public static class CalendarEdits
{
    public const int MaxOverrides = 60;
    public const int MaxReasonLength = 200;
    public const int MaxTetDays = 16;

    public static Result<int> ParseYear(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= YearSettings.FirstYear and <= YearSettings.LastYear
            ? year
            : Error.NotFound("year-not-found", $"Chỉ xem và sửa được lịch các năm từ {YearSettings.FirstYear} đến {YearSettings.LastYear}.");

    public static Result<YearSettings> Settings(YearSettings current, YearSettingsInput input)
    {
        var v = new Validation();
        var rest = v.Take(ParseWeeklyRest(input.WeeklyRest), "weeklyRest");
        var tet = TetDaysOff(current.Year, input.TetFrom, input.TetTo, v);
        var neighbour = v.Take(ParseNeighbour(input.NationalDay), "nationalDay");
        return v.HasErrors ? v.ToError() : current with { WeeklyRest = rest, TetDaysOff = tet, NationalDayNeighbour = neighbour };
    }

    /// <summary>Adds a day (or changes the one already listed on that date).</summary>
    public static Result<YearSettings> Add(YearSettings current, DayOverrideInput input, string prefix = "")
    {
        var v = new Validation();
        var day = Override(current, input, prefix, v);
        if (v.HasErrors)
        {
            return v.ToError();
        }

        var others = current.Overrides.Where(e => e.Date != day!.Date).ToList();
        if (others.Count >= MaxOverrides)
        {
            return Error.Validation(prefix + "date", "too-many", $"Mỗi năm ghi tối đa {MaxOverrides} ngày nghỉ thêm và ngày làm bù.");
        }

        var rules = YearCalendar.Compute(current with { Overrides = others }).Day(day!.Date);
        if (rules.IsWorkingDay == (day.Change == DayChange.WorkingDay))
        {
            return Error.Validation(prefix + "date", day.Change == DayChange.WorkingDay ? "already-working" : "already-off",
                day.Change == DayChange.WorkingDay
                    ? $"Ngày {VietnamTime.Format(day.Date)} ({rules.Weekday}) đã là ngày làm việc."
                    : $"Ngày {VietnamTime.Format(day.Date)} đã là ngày nghỉ ({rules.Name}).");
        }

        return current with { Overrides = others.Append(day).OrderBy(e => e.Date).ToList() };
    }

    public static Result<YearSettings> Remove(YearSettings current, string? date)
    {
        var day = ParseDate(date, "date", current.Year);
        if (!day.IsSuccess)
        {
            return day.Error!;
        }

        // A day no longer listed (the same form posted twice) is already removed: nothing to do.
        return current with { Overrides = current.Overrides.Where(e => e.Date != day.Value).ToList() };
    }

    /// <summary>The whole year at once (the API): settings and the complete list of days decided otherwise.</summary>
    public static Result<YearSettings> Replace(int year, YearSettingsInput settings, IReadOnlyList<DayOverrideInput?>? overrides)
    {
        var result = Settings(YearSettings.Default(year), settings);
        var v = new Validation();
        var current = v.Take(result, "settings") ?? YearSettings.Default(year);
        var list = overrides ?? [];
        if (list.Count > MaxOverrides)
        {
            v.Add("overrides", "too-many", $"Mỗi năm ghi tối đa {MaxOverrides} ngày nghỉ thêm và ngày làm bù.");
        }
        else
        {
            var seen = new HashSet<DateOnly>();
            for (var i = 0; i < list.Count; i++)
            {
                var prefix = $"overrides[{i.ToString(CultureInfo.InvariantCulture)}].";
                var input = list[i] ?? new DayOverrideInput(null, null, null);
                var day = ParseDate(input.Date, prefix + "date", year);
                if (day.IsSuccess && !seen.Add(day.Value))
                {
                    v.Add(prefix + "date", "duplicate", $"Ngày {VietnamTime.Format(day.Value)} được ghi hai lần.");
                    continue;
                }

                var added = Add(current, input, prefix);
                current = v.Take(added, prefix + "date") ?? current;
            }
        }

        return v.HasErrors ? v.ToError() : current;
    }

    /// <summary>
    /// Refuses a change to a day already past (before <paramref name="today"/>, Vietnam): deadlines
    /// that have passed, and days already counted late, stay as they were. Days from today on may change.
    /// </summary>
    public static Result<bool> CheckPastUnchanged(YearCalendar before, YearCalendar after, DateOnly today)
    {
        for (var day = new DateOnly(before.Year, 1, 1); day.Year == before.Year && day < today; day = day.AddDays(1))
        {
            if (before.IsWorkingDay(day) != after.IsWorkingDay(day))
            {
                return Error.Validation("calendar", "past-day",
                    $"Ngày {VietnamTime.Format(day)} đã qua nên không đổi được thành {(after.IsWorkingDay(day) ? "ngày làm việc" : "ngày nghỉ")}: những ngày đã qua giữ nguyên để các hạn đã qua và số ngày quá hạn không thay đổi.");
            }
        }

        return true;
    }

    public static Result<WeeklyRest> ParseWeeklyRest(string? text) => (text ?? string.Empty).Trim() switch
    {
        "" or "saturday-and-sunday" => WeeklyRest.SaturdayAndSunday,
        "sunday-only" => WeeklyRest.SundayOnly,
        _ => Error.Validation("weeklyRest", "invalid-weekly-rest", "Ngày nghỉ hằng tuần phải là 'saturday-and-sunday' (thứ Bảy và Chủ nhật) hoặc 'sunday-only' (chỉ Chủ nhật)."),
    };

    public static Result<NationalDayNeighbour?> ParseNeighbour(string? text) => (text ?? string.Empty).Trim() switch
    {
        "" => Result<NationalDayNeighbour?>.Success(null),
        "before" => NationalDayNeighbour.Before,
        "after" => NationalDayNeighbour.After,
        _ => Error.Validation("nationalDay", "invalid-national-day", "Ngày nghỉ liền kề Quốc khánh phải là 'before' (01/09) hoặc 'after' (03/09)."),
    };

    public static Result<DayChange> ParseChange(string? text, string field) => (text ?? string.Empty).Trim() switch
    {
        "day-off" => DayChange.DayOff,
        "working-day" => DayChange.WorkingDay,
        _ => Error.Validation(field, "invalid-change", "Hãy chọn: ngày nghỉ thêm ('day-off') hoặc ngày làm bù ('working-day')."),
    };

    private static DayOverride? Override(YearSettings current, DayOverrideInput input, string prefix, Validation v)
    {
        var day = v.Take(ParseDate(input.Date, prefix + "date", current.Year), prefix + "date");
        var change = v.Take(ParseChange(input.Change, prefix + "change"), prefix + "change");
        var reason = v.Take(Text.Clean(input.Reason, prefix + "reason", MaxReasonLength, required: false), prefix + "reason");
        if (v.HasErrors)
        {
            return null;
        }

        return new DayOverride(day, change, reason is { Length: > 0 } r ? r : change == DayChange.WorkingDay ? "Ngày làm bù" : "Nghỉ thêm theo thông báo");
    }

    private static DateSpan? TetDaysOff(int year, string? fromText, string? toText, Validation v)
    {
        var fromEmpty = string.IsNullOrWhiteSpace(fromText);
        var toEmpty = string.IsNullOrWhiteSpace(toText);
        if (fromEmpty && toEmpty)
        {
            return null;
        }

        if (fromEmpty || toEmpty)
        {
            v.Add(fromEmpty ? "tetFrom" : "tetTo", "required", "Ghi cả ngày bắt đầu và ngày cuối nghỉ Tết, hoặc để trống cả hai để theo Bộ luật Lao động.");
            return null;
        }

        var fromDate = ParseDate(fromText, "tetFrom", year);
        var toDate = ParseDate(toText, "tetTo", year);
        var from = v.Take(fromDate, "tetFrom");
        var to = v.Take(toDate, "tetTo");
        if (!fromDate.IsSuccess || !toDate.IsSuccess)
        {
            return null;
        }

        var span = new DateSpan(from, to);
        if (to < from)
        {
            v.Add("tetTo", "before-start", "Ngày cuối nghỉ Tết phải sau ngày bắt đầu.");
        }
        else if (LunarCalendar.Covers(year) && !span.Contains(LunarCalendar.NewYear(year)))
        {
            v.Add("tetFrom", "without-tet", $"Những ngày nghỉ Tết phải gồm mùng 1 Tết ({VietnamTime.Format(LunarCalendar.NewYear(year))}).");
        }
        else if (span.Days > MaxTetDays)
        {
            v.Add("tetTo", "too-long", $"Nghỉ Tết tối đa {MaxTetDays} ngày liên tục.");
        }

        return span;
    }

    private static Result<DateOnly> ParseDate(string? text, string field, int year)
    {
        var value = (text ?? string.Empty).Trim();
        if (value.Length == 0)
        {
            return Error.Validation(field, "required", "Hãy ghi ngày, ví dụ 02/01/2026.");
        }

        if (!VietnamTime.TryParseIsoOrWritten(value, out var date))
        {
            return Error.Validation(field, "invalid-date", "Ngày phải viết dạng ngày/tháng/năm, ví dụ 02/01/2026.");
        }

        return date.Year == year
            ? date
            : Error.Validation(field, "other-year", $"Ngày {VietnamTime.Format(date)} không thuộc năm {year.ToString(CultureInfo.InvariantCulture)}.");
    }
}
