using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Calendar;

/// <summary>
/// A deadline in working days: "05 ngày làm việc kể từ ngày 13/02/2026". As the Civil Code counts a
/// term in days (Bộ luật Dân sự 2015, Điều 147–148), the day named is not counted: the first day is
/// the next one, and the term ends at the end (Vietnam time) of its last day — the
/// <see cref="Days"/>-th working day after <see cref="From"/>. The last day depends on the calendar,
/// so the term is kept and its deadline counted again whenever the calendar changes.
/// </summary>
public sealed partial record WorkingDaysTerm
{
    public const int MaxDays = 120;

    private WorkingDaysTerm(int days, DateOnly from)
    {
        Days = days;
        From = from;
    }

    public int Days { get; }

    /// <summary>The day the term is counted from (not itself counted).</summary>
    public DateOnly From { get; }

    /// <summary>"05 ngày làm việc kể từ ngày 13/02/2026", as a dispatch writes it (and as the form reads it back).</summary>
    public string Display => string.Create(CultureInfo.InvariantCulture, $"{Days:00} ngày làm việc kể từ ngày {VietnamTime.Format(From)}");

    public static Result<WorkingDaysTerm> Create(int days, DateOnly from, string field)
    {
        if (days is < 1 or > MaxDays)
        {
            return Error.Validation(field, "invalid-working-days", $"Số ngày làm việc phải từ 1 đến {MaxDays}.");
        }

        return from.Year is < YearSettings.FirstYear or > YearSettings.LastYear - 1
            ? Error.Validation(field, "invalid-date", "Ngày bắt đầu tính không hợp lệ.")
            : new WorkingDaysTerm(days, from);
    }

    /// <summary>
    /// Reads a term as people write it: "05 ngày làm việc kể từ ngày 13/02/2026", "trong vòng 5 ngày
    /// làm việc, tính từ 13/02/2026", "10 (mười) ngày làm việc kể từ ngày 2026-02-13". Null when the
    /// text is not a term in working days at all; an error when it is one with a wrong number or date.
    /// </summary>
    public static Result<WorkingDaysTerm>? ParseWritten(string? text, string field)
    {
        var match = Written().Match(Text.Fold(text ?? string.Empty));
        if (!match.Success)
        {
            return null;
        }

        var date = match.Groups["date"].Value;
        if (!VietnamTime.TryParseIsoOrWritten(date, out var from))
        {
            return Error.Validation(field, "invalid-date", "Ngày bắt đầu tính phải ghi ngày/tháng/năm, ví dụ: 05 ngày làm việc kể từ ngày 13/02/2026.");
        }

        return int.TryParse(match.Groups["days"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            ? Create(days, from, field)
            : Error.Validation(field, "invalid-working-days", $"Số ngày làm việc phải từ 1 đến {MaxDays}.");
    }

    /// <summary>Whether <paramref name="text"/> speaks of working days (so a failed parse can say how to write one).</summary>
    public static bool MentionsWorkingDays(string? text) => Text.Fold(text ?? string.Empty).Contains("ngay lam viec", StringComparison.Ordinal);

    /// <summary>The term's last day with <paramref name="calendar"/>.</summary>
    public DateOnly LastDay(WorkingCalendar calendar) => calendar.NthWorkingDayAfter(From, Days);

    /// <summary>The deadline: the end of <see cref="LastDay"/>, Vietnam time.</summary>
    public Deadline DeadlineIn(WorkingCalendar calendar) => Deadline.EndOfDay(LastDay(calendar));

    /// <summary>How the last day was counted with <paramref name="calendar"/>: which days were passed over, and why.</summary>
    public TermCount Count(WorkingCalendar calendar)
    {
        var last = LastDay(calendar);
        var skipped = new List<CalendarDay>();
        DateOnly? first = null;
        for (var day = From.AddDays(1); day <= last; day = day.AddDays(1))
        {
            var calendarDay = calendar.Day(day);
            if (!calendarDay.IsWorkingDay)
            {
                skipped.Add(calendarDay);
            }
            else
            {
                first ??= day;
            }
        }

        return new TermCount(this, first ?? last, last, skipped);
    }

    [GeneratedRegex(@"^(?:(?:trong|cham\s+nhat)(?:\s+(?:vong|thoi\s+han|thoi\s+gian))?\s+)?(?<days>\d{1,3})\s*(?:\([^)]{0,30}\)\s*)?ngay\s+lam\s+viec\s*,?\s*(?:(?:ke|tinh)\s+tu|sau)\s+(?:ngay\s+)?(?<date>\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})\s*\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex Written();
}

/// <summary>How a <see cref="WorkingDaysTerm"/>'s last day was counted: its first and last working day, and the days off passed over.</summary>
public sealed record TermCount(WorkingDaysTerm Term, DateOnly FirstDay, DateOnly LastDay, IReadOnlyList<CalendarDay> Skipped)
{
    /// <summary>
    /// The count in words, for the form, the board and the API: "Không tính ngày 13/02/2026; 05 ngày
    /// làm việc là từ 23/02/2026 đến 27/02/2026, không tính 9 ngày nghỉ: Tết Nguyên đán 14/02–22/02."
    /// </summary>
    public string Explanation
    {
        get
        {
            var text = $"Không tính ngày {VietnamTime.Format(Term.From)}; {Term.Days.ToString("00", CultureInfo.InvariantCulture)} ngày làm việc là "
                + (FirstDay == LastDay ? $"ngày {VietnamTime.Format(LastDay)}" : $"từ {VietnamTime.Format(FirstDay)} đến {VietnamTime.Format(LastDay)}");
            if (Skipped.Count == 0)
            {
                return text + ".";
            }

            var parts = new List<string>();
            foreach (var group in Skipped.Where(d => d.Kind != DayKind.WeeklyRest).GroupBy(d => d.Name))
            {
                parts.Add($"{group.Key} {Runs(group.Select(d => d.Date))}");
            }

            var rest = Skipped.Where(d => d.Kind == DayKind.WeeklyRest).ToList();
            if (rest.Count > 0)
            {
                var names = rest.All(d => d.Date.DayOfWeek == DayOfWeek.Sunday) ? "Chủ nhật" : "thứ Bảy, Chủ nhật";
                parts.Add($"{rest.Count.ToString(CultureInfo.InvariantCulture)} ngày {names}");
            }

            return $"{text}, không tính {Skipped.Count.ToString(CultureInfo.InvariantCulture)} ngày nghỉ: {string.Join("; ", parts)}.";
        }
    }

    /// <summary>Days as runs of consecutive dates: "14/02–22/02, 27/04".</summary>
    private string Runs(IEnumerable<DateOnly> days)
    {
        var twoYears = Term.From.Year != LastDay.Year;
        string Format(DateOnly d) => twoYears ? VietnamTime.Format(d) : VietnamTime.FormatDayMonth(d);
        var runs = new List<string>();
        DateOnly? start = null, end = null;
        foreach (var day in days.Order())
        {
            if (end is { } e && day.DayNumber == e.DayNumber + 1)
            {
                end = day;
                continue;
            }

            if (start is { } s)
            {
                runs.Add(s == end ? Format(s) : $"{Format(s)}–{Format(end!.Value)}");
            }

            start = end = day;
        }

        if (start is { } last)
        {
            runs.Add(last == end ? Format(last) : $"{Format(last)}–{Format(end!.Value)}");
        }

        return string.Join(", ", runs);
    }
}
