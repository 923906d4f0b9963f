using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.Calendar;

/// <summary>
/// <c>PUT /api/calendar/{year}</c>: the year's settings and the complete list of days decided
/// otherwise. <c>weeklyRest</c>: <c>saturday-and-sunday</c> (default) or <c>sunday-only</c>;
/// <c>tetFrom</c>/<c>tetTo</c>: Tết's days off as announced (both absent: the Labour Code's five days);
/// <c>nationalDay</c>: <c>before</c> (01/09), <c>after</c> (03/09) or absent (the usual choice);
/// <c>overrides</c>: <c>{"date", "change": "day-off" | "working-day", "reason"}</c>.
/// </summary>
public sealed record PutCalendarYearRequest(string? WeeklyRest, string? TetFrom, string? TetTo, string? NationalDay, IReadOnlyList<DayOverrideRequest?>? Overrides)
    : IRequestBody<PutCalendarYearRequest>
{
    public YearSettingsInput Settings => new(WeeklyRest, TetFrom, TetTo, NationalDay);

    public IReadOnlyList<DayOverrideInput?>? OverrideInputs => Overrides?.Select(o => o is null ? null : new DayOverrideInput(o.Date, o.Change, o.Reason)).ToList();
}

/// <summary>A day decided otherwise: an extra day off or a make-up working day, and why.</summary>
public sealed record DayOverrideRequest(string? Date, string? Change, string? Reason);

/// <summary>A year of the calendar: its settings in effect, every day that is not an ordinary one, the office's days, the number of working days, and who changed it.</summary>
public sealed record CalendarYearResponse(
    int Year,
    bool Decided,
    WeeklyRest WeeklyRest,
    TetResponse? Tet,
    string? HungKingsDay,
    NationalDayResponse NationalDay,
    int WorkingDays,
    IReadOnlyList<CalendarDayResponse> Days,
    IReadOnlyList<DayOverrideResponse> Overrides,
    string? ChangedBy,
    DateTimeOffset? ChangedAt,
    IReadOnlyList<CalendarChangeResponse> Changes)
{
    public static CalendarYearResponse Of(YearView view)
    {
        var c = view.Calendar;
        var s = c.Settings;
        return new(
            c.Year,
            view.Stored is not null,
            s.WeeklyRest,
            c.Tet is { } tet && c.TetDaysOff is { } off ? new TetResponse(WireFormat.Date(tet), WireFormat.Date(off.From), WireFormat.Date(off.To), ByLaw: s.TetDaysOff is null) : null,
            c.HungKings is { } hk ? WireFormat.Date(hk) : null,
            new NationalDayResponse(c.NationalDayNeighbour, WireFormat.Date(new DateOnly(c.Year, 9, c.NationalDayNeighbour == NationalDayNeighbour.Before ? 1 : 3)), ByDefault: s.NationalDayNeighbour is null),
            c.WorkingDays,
            c.SpecialDays.Select(CalendarDayResponse.Of).ToList(),
            s.Overrides.Select(o => new DayOverrideResponse(WireFormat.Date(o.Date), o.Change, o.Reason)).ToList(),
            view.Stored?.ChangedBy,
            view.Stored?.ChangedAt,
            view.Changes.Select(ch => new CalendarChangeResponse(ch.By, ch.At, ch.What)).ToList());
    }
}

/// <summary>Mùng 1 Tết and Tết's days off in effect; <c>byLaw</c> when the office has not entered the government's announcement.</summary>
public sealed record TetResponse(string NewYear, string From, string To, bool ByLaw);

/// <summary>The day beside 02/09 that is off; <c>byDefault</c> when the office has not chosen.</summary>
public sealed record NationalDayResponse(NationalDayNeighbour Neighbour, string Date, bool ByDefault);

/// <summary>A day that is not an ordinary one: its kind (holiday, compensatory-day-off, extra-day-off, make-up-working-day), its name and which day it is.</summary>
public sealed record CalendarDayResponse(string Date, string Weekday, DayKind Kind, bool WorkingDay, string Name, string? Detail)
{
    public static CalendarDayResponse Of(CalendarDay d) => new(WireFormat.Date(d.Date), d.Weekday, d.Kind, d.IsWorkingDay, d.Name, d.Detail);
}

public sealed record DayOverrideResponse(string Date, DayChange Change, string Reason);

public sealed record CalendarChangeResponse(string By, DateTimeOffset At, IReadOnlyList<string> What);

/// <summary>The last day of a term in working days: the deadline (end of that day, Vietnam time) and how it was counted.</summary>
public sealed record WorkingDaysCountResponse(int WorkingDays, string From, string LastDay, DateTimeOffset DeadlineAt, string Explanation, IReadOnlyList<CalendarDayResponse> Skipped)
{
    public static WorkingDaysCountResponse Of(TermCount count) => new(
        count.Term.Days,
        WireFormat.Date(count.Term.From),
        WireFormat.Date(count.LastDay),
        VietnamTime.EndOf(count.LastDay),
        count.Explanation,
        count.Skipped.Select(CalendarDayResponse.Of).ToList());
}
