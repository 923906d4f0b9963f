using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.Calendar;

/// <summary>
/// One of the calendar page's forms, as typed (kept when it comes back with a problem):
/// <c>action</c> = <c>settings</c> (weekly rest, Tết's days off, the day beside 02/09), <c>add</c>
/// (a day off or a make-up day: date, change, reason) or <c>remove</c> (date).
/// </summary>
public sealed record CalendarForm(string Action, string WeeklyRest, string TetFrom, string TetTo, string NationalDay, string Date, string Change, string Reason)
    : IRequestBody<CalendarForm>
{
    public const string SettingsAction = "settings";
    public const string AddAction = "add";
    public const string RemoveAction = "remove";

    public static readonly CalendarForm Empty = new(string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, WireFormat.Name(DayChange.DayOff), string.Empty);

    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static CalendarForm FromForm(IFormCollection form) => new(
        form["action"].ToString(),
        form["weeklyRest"].ToString(),
        form["tetFrom"].ToString(),
        form["tetTo"].ToString(),
        form["nationalDay"].ToString(),
        form["date"].ToString(),
        form["change"].ToString(),
        form["reason"].ToString());

    /// <summary>Where on the page the form is (the anchor to come back to).</summary>
    public string Anchor => Action == SettingsAction ? "cai-dat" : "ngay-quyet-dinh";

    /// <summary>The edit this form asks for.</summary>
    public Result<YearSettings> Apply(YearSettings current) => Action switch
    {
        SettingsAction => CalendarEdits.Settings(current, new YearSettingsInput(WeeklyRest, TetFrom, TetTo, NationalDay)),
        AddAction => CalendarEdits.Add(current, new DayOverrideInput(Date, Change, Reason)),
        RemoveAction => CalendarEdits.Remove(current, Date),
        _ => Error.Validation("action", "invalid-action", "Không rõ thao tác; hãy tải lại trang."),
    };
}

/// <summary>The calculator: what was asked (as typed), and the count or its problem.</summary>
public sealed record CalculatorModel(string Days, string From, TermCount? Count, Error? Error)
{
    public static readonly CalculatorModel Empty = new(string.Empty, string.Empty, null, null);
}

/// <summary>One cell of a month's grid: a day of the month (with what kind of day it is) or an empty cell before the 1st or after the last.</summary>
public sealed record MonthCell(CalendarDay? Day);

/// <summary>A month as a grid of weeks, Monday first.</summary>
public sealed record MonthGrid(int Month, IReadOnlyList<IReadOnlyList<MonthCell>> Weeks);

/// <summary>
/// The calendar page: the year (its days, settings, who changed it, its history), the form that
/// failed with its problem (or a notice after saving), and the calculator.
/// </summary>
public sealed record CalendarPageModel(YearView View, CalendarForm Form, Error? Error, string? Notice, CalculatorModel Calculator)
{
    public YearCalendar Year => View.Calendar;

    public YearSettings Settings => View.Calendar.Settings;

    public string Title => $"Lịch làm việc năm {Year.Year}";

    /// <summary>The problem, if it belongs to the form <paramref name="action"/>.</summary>
    public Error? ErrorOf(string action) => Error is not null && (Form.Action == action || (action == CalendarForm.SettingsAction && Form.Action.Length == 0)) ? Error : null;

    /// <summary>The settings form's values: what was typed when it failed, else what is saved.</summary>
    public (string WeeklyRest, string TetFrom, string TetTo, string NationalDay) SettingsValues =>
        Error is not null && Form.Action == CalendarForm.SettingsAction
            ? (Form.WeeklyRest, Form.TetFrom, Form.TetTo, Form.NationalDay)
            : (WireFormat.Name(Settings.WeeklyRest),
               Settings.TetDaysOff is { } t ? VietnamTime.Format(t.From) : string.Empty,
               Settings.TetDaysOff is { } e ? VietnamTime.Format(e.To) : string.Empty,
               Settings.NationalDayNeighbour is { } n ? WireFormat.Name(n) : string.Empty);

    /// <summary>The add form's values: what was typed when it failed, else empty.</summary>
    public CalendarForm AddValues => Error is not null && Form.Action == CalendarForm.AddAction ? Form : CalendarForm.Empty;

    /// <summary>The Labour Code's Tết for this year, said in a sentence (what empty Tết fields mean).</summary>
    public string? TetByLaw => Year.Tet is { } tet
        ? $"Để trống cả hai ô: theo Bộ luật Lao động, nghỉ 5 ngày {YearCalendar.DefaultTetDaysOff(tet).Display}; ngày nào trùng thứ Bảy, Chủ nhật thì được nghỉ bù. Khi Chính phủ thông báo lịch nghỉ Tết, ghi ngày đầu và ngày cuối như thông báo (kể cả thứ Bảy, Chủ nhật)."
        : null;

    /// <summary>The choices for the day beside 02/09: the usual one (empty value), 01/09, 03/09.</summary>
    public IReadOnlyList<(string Value, string Label)> NationalDayOptions =>
    [
        (string.Empty, $"{CalendarNames.Neighbour(Year.Year, YearCalendar.DefaultNationalDayNeighbour(Year.Year))} — theo cách thường chọn"),
        (WireFormat.Name(NationalDayNeighbour.Before), CalendarNames.Neighbour(Year.Year, NationalDayNeighbour.Before)),
        (WireFormat.Name(NationalDayNeighbour.After), CalendarNames.Neighbour(Year.Year, NationalDayNeighbour.After)),
    ];

    public static IReadOnlyList<(string Value, string Label)> WeeklyRestOptions =>
    [
        (WireFormat.Name(WeeklyRest.SaturdayAndSunday), "Thứ Bảy và Chủ nhật"),
        (WireFormat.Name(WeeklyRest.SundayOnly), "Chỉ Chủ nhật (làm việc thứ Bảy)"),
    ];

    public static IReadOnlyList<(string Value, string Label)> ChangeOptions =>
    [
        (WireFormat.Name(DayChange.DayOff), "Ngày nghỉ thêm"),
        (WireFormat.Name(DayChange.WorkingDay), "Ngày làm bù (đi làm)"),
    ];

    /// <summary>How a special day reads in the list: its name, then which day it is.</summary>
    public string Describe(CalendarDay day) => day.Kind switch
    {
        DayKind.MakeUpWorkingDay => $"Làm việc: {day.Name}",
        DayKind.Holiday when YearCalendar.IsWeeklyRest(Settings.WeeklyRest, day.Date) => $"{Named(day)} — trùng ngày nghỉ hằng tuần",
        _ => Named(day),
    };

    /// <summary>A day's style in the list and the grids.</summary>
    public static string Css(CalendarDay day) => day.Kind switch
    {
        DayKind.Holiday => "holiday",
        DayKind.CompensatoryDayOff or DayKind.ExtraDayOff => "off",
        DayKind.MakeUpWorkingDay => "makeup",
        DayKind.WeeklyRest => "rest",
        _ => string.Empty,
    };

    /// <summary>The twelve months as grids of weeks, Monday first.</summary>
    public IReadOnlyList<MonthGrid> Months => Enumerable.Range(1, 12).Select(month =>
    {
        var first = new DateOnly(Year.Year, month, 1);
        var lead = ((int)first.DayOfWeek + 6) % 7;
        var cells = Enumerable.Repeat(new MonthCell(null), lead)
            .Concat(Enumerable.Range(0, DateTime.DaysInMonth(Year.Year, month)).Select(d => new MonthCell(Year.Day(first.AddDays(d)))))
            .ToList();
        while (cells.Count % 7 != 0)
        {
            cells.Add(new MonthCell(null));
        }

        return new MonthGrid(month, cells.Chunk(7).Select(w => (IReadOnlyList<MonthCell>)w).ToList());
    }).ToList();

    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["weeklyRest"] = "Ngày nghỉ hằng tuần",
        ["tetFrom"] = "Nghỉ Tết từ ngày",
        ["tetTo"] = "Nghỉ Tết đến hết ngày",
        ["nationalDay"] = "Quốc khánh",
        ["date"] = "Ngày",
        ["change"] = "Loại ngày",
        ["reason"] = "Lý do",
        ["calendar"] = "Lịch năm",
        ["action"] = "Thao tác",
        ["days"] = "Số ngày làm việc",
        ["from"] = "Kể từ ngày",
    };

    public static string FieldName(string field) => FieldNames.GetValueOrDefault(field, field);

    private static string Named(CalendarDay day) => day.Detail is { Length: > 0 } detail ? $"{day.Name} ({detail})" : day.Name;
}
