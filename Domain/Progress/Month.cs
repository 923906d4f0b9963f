using System.Globalization;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Progress;

/// <summary>
/// A calendar month in Vietnam (UTC+7). The units' records are kept by month: a task counts in the
/// month of its last day (<see cref="Deadline.LastDay"/>), so "trước ngày 01/03/2026" counts in February.
/// A task without a deadline has no month — it can be neither on time nor late, so the records by month
/// leave it out (the board and the directive's report show it, "không có hạn") — and neither has a task the
/// office cancelled (<see cref="Of(Directives.DirectiveTask)"/>).
/// </summary>
public readonly record struct Month(int Year, int Number) : IComparable<Month>
{
    public static Month Of(DateOnly date) => new(date.Year, date.Month);

    /// <summary>The month a task with this deadline counts in: that of its last day.</summary>
    public static Month Of(Deadline deadline) => Of(deadline.LastDay);

    /// <summary>The month <paramref name="task"/> counts in for the units' records: that of its deadline; none without a deadline or once cancelled.</summary>
    public static Month? Of(Directives.DirectiveTask task) => task.Cancelled is null && task.Deadline is { } deadline ? Of(deadline) : null;

    public static Month Containing(DateTimeOffset instant) => Of(VietnamTime.DateOf(instant));

    public DateOnly FirstDay => new(Year, Number, 1);

    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);

    public Month Next => Of(FirstDay.AddMonths(1));

    public Month Previous => Of(FirstDay.AddMonths(-1));

    /// <summary>yyyyMM: sorts as the months do (a row key, a query value).</summary>
    public string Key => FirstDay.ToString("yyyyMM", CultureInfo.InvariantCulture);

    /// <summary>As people write it: 02/2026.</summary>
    public string Display => FirstDay.ToString("MM/yyyy", CultureInfo.InvariantCulture);

    public static Result<Month> Parse(string? text, string field)
    {
        var value = (text ?? string.Empty).Trim();
        return DateOnly.TryParseExact(value, ["yyyy-MM", "yyyyMM", "MM/yyyy", "M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year is >= 2000 and <= 2100
            ? Of(date)
            : Error.Validation(field, "invalid-month", "Tháng phải viết dạng MM/yyyy, ví dụ 02/2026.");
    }

    public int CompareTo(Month other) => (Year * 12 + Number).CompareTo(other.Year * 12 + other.Number);

    public static bool operator <(Month left, Month right) => left.CompareTo(right) < 0;

    public static bool operator >(Month left, Month right) => left.CompareTo(right) > 0;

    public static bool operator <=(Month left, Month right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Month left, Month right) => left.CompareTo(right) >= 0;

    public override string ToString() => Display;
}

/// <summary>
/// A run of whole months, first to last, both included: the tasks whose last day falls in it. At
/// most <see cref="MaxMonths"/> months (three years), so a page never reads without bound.
/// </summary>
public sealed record Period(Month From, Month To)
{
    public const int MaxMonths = 36;

    public IEnumerable<Month> Months
    {
        get
        {
            for (var m = From; m <= To; m = m.Next)
            {
                yield return m;
            }
        }
    }

    public bool Contains(Deadline deadline) => Month.Of(deadline) is var m && m >= From && m <= To;

    /// <summary>Whether <paramref name="task"/> counts in the period: its month (<see cref="Month.Of(Directives.DirectiveTask)"/>) is in it.</summary>
    public bool Covers(Directives.DirectiveTask task) => Month.Of(task) is { } m && m >= From && m <= To;

    /// <summary>"tháng 02/2026" or "từ tháng 01/2026 đến tháng 03/2026".</summary>
    public string Display => From == To ? $"tháng {From.Display}" : $"từ tháng {From.Display} đến tháng {To.Display}";

    /// <summary>
    /// The months a person may pick: from the first month any task of <paramref name="directives"/>
    /// counts in to the last, and at least the whole year of <paramref name="now"/>.
    /// </summary>
    public static IReadOnlyList<Month> Choices(IEnumerable<Directives.Directive> directives, DateTimeOffset now)
    {
        var year = YearOf(now);
        var months = directives.SelectMany(d => d.Tasks).Select(Month.Of).OfType<Month>().Append(year.From).Append(year.To).ToList();
        return new Period(months.Min(), months.Max()).Months.ToList();
    }

    /// <summary>The year of <paramref name="now"/> in Vietnam, January to December: what the office sees first.</summary>
    public static Period YearOf(DateTimeOffset now)
    {
        var year = Month.Containing(now).Year;
        return new Period(new Month(year, 1), new Month(year, 12));
    }

    /// <summary>
    /// A period as the office chose it (<c>tu</c>, <c>den</c>: months); either missing: the current
    /// year's end of it. A choice that makes no period gives the current year, and the problem to show
    /// beside the months as chosen (<see cref="PeriodChoice"/>).
    /// </summary>
    public static PeriodChoice Choose(string? from, string? to, DateTimeOffset now)
    {
        var parsed = Parse(from, to, now);
        var year = YearOf(now);
        return parsed.IsSuccess
            ? new PeriodChoice(parsed.Value, parsed.Value.From, parsed.Value.To, null)
            : new PeriodChoice(year, Month.Parse(from, "tu") is { IsSuccess: true } f ? f.Value : year.From, Month.Parse(to, "den") is { IsSuccess: true } t ? t.Value : year.To, parsed.Error);
    }

    /// <summary>A period from <c>tu</c> and <c>den</c> (months); either missing: the current year's end of it.</summary>
    public static Result<Period> Parse(string? from, string? to, DateTimeOffset now)
    {
        var year = YearOf(now);
        var v = new Validation();
        var first = string.IsNullOrWhiteSpace(from) ? year.From : v.Take(Month.Parse(from, "tu"), "tu");
        var last = string.IsNullOrWhiteSpace(to) ? year.To : v.Take(Month.Parse(to, "den"), "den");
        if (v.HasErrors)
        {
            return v.ToError();
        }

        if (first > last)
        {
            return Error.Validation("den", "period-reversed", "Tháng kết thúc phải từ tháng bắt đầu trở đi.");
        }

        var period = new Period(first, last);
        return period.Months.Count() > MaxMonths
            ? Error.Validation("den", "period-too-long", $"Mỗi lần xem tối đa {MaxMonths} tháng.")
            : period;
    }
}

/// <summary>The period shown (<see cref="Period"/>), the months as the person chose them, and what was wrong with the choice.</summary>
public sealed record PeriodChoice(Period Period, Month From, Month To, Error? Error)
{
    /// <summary>The period's query string: <c>tu=yyyyMM&amp;den=yyyyMM</c>.</summary>
    public string Query => $"tu={Period.From.Key}&den={Period.To.Key}";
}
