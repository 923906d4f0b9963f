using ServerlessWorkflow.Domain.Calendar;

namespace ServerlessWorkflow.Functions.Shared.Wire;

/// <summary>
/// A deadline in working days on the wire: the term as written (<c>workingDays</c> from
/// <c>countFrom</c>, the day named not counted), its last day with the calendar in force, and how it
/// was counted, in Vietnamese.
/// </summary>
public sealed record DeadlineTerm(int WorkingDays, string CountFrom, string Text, string LastDay, string Counted)
{
    public static DeadlineTerm Of(WorkingDaysTerm term, WorkingCalendar calendar)
    {
        var count = term.Count(calendar);
        return new(term.Days, WireFormat.Date(term.From), term.Display, WireFormat.Date(count.LastDay), count.Explanation);
    }
}
