using System.Collections.Concurrent;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Calendar;

/// <summary>
/// Vietnam's working days, every year: the Labour Code's rules and, for the years the office
/// decided, its <see cref="YearSettings"/>. Immutable: a change makes a new calendar (with a new
/// <see cref="Version"/>). Every question is asked in Vietnam calendar days, and every instant it
/// answers is Vietnam time (UTC+7): "the send hour" of a day is that hour on a clock in Vietnam.
/// This is the API deadlines, days overdue and the escalation ladder count with.
/// </summary>
public sealed class WorkingCalendar
{
    /// <summary>How far a search for a working day goes before it gives up (a year of days off cannot be decided).</summary>
    private const int SearchLimit = 3 * 366;

    private readonly Dictionary<int, YearSettings> _settings;
    private readonly ConcurrentDictionary<int, YearCalendar> _years = new();

    public WorkingCalendar(IEnumerable<YearSettings> years, string version = "")
    {
        _settings = years.ToDictionary(y => y.Year);
        Version = version;
    }

    /// <summary>The Labour Code's calendar, with no decision of the office.</summary>
    public static WorkingCalendar Default { get; } = new([], "default");

    /// <summary>Which stored state of the calendar this is (opaque; changes with every change).</summary>
    public string Version { get; }

    /// <summary>What the office decided for <paramref name="year"/>, or the defaults.</summary>
    public YearSettings SettingsOf(int year) => _settings.GetValueOrDefault(year) ?? YearSettings.Default(year);

    /// <summary>Whether the office decided anything for <paramref name="year"/>.</summary>
    public bool IsDecided(int year) => _settings.ContainsKey(year);

    public YearCalendar Year(int year) => _years.GetOrAdd(year, y => YearCalendar.Compute(SettingsOf(y)));

    /// <summary>This calendar with <paramref name="settings"/> for its year.</summary>
    public WorkingCalendar With(YearSettings settings) =>
        new(_settings.Values.Where(s => s.Year != settings.Year).Append(settings), Version + "+");

    public CalendarDay Day(DateOnly date) => Year(date.Year).Day(date);

    public bool IsWorkingDay(DateOnly date) => Day(date).IsWorkingDay;

    /// <summary>The <paramref name="n"/>-th working day after <paramref name="day"/> (<paramref name="day"/> itself not counted; n ≥ 1).</summary>
    public DateOnly NthWorkingDayAfter(DateOnly day, int n) => Walk(day, n, +1);

    /// <summary>The <paramref name="n"/>-th working day before <paramref name="day"/> (<paramref name="day"/> itself not counted; n ≥ 1).</summary>
    public DateOnly NthWorkingDayBefore(DateOnly day, int n) => Walk(day, n, -1);

    /// <summary><paramref name="day"/> if it is a working day, else the next one.</summary>
    public DateOnly WorkingDayOnOrAfter(DateOnly day) => IsWorkingDay(day) ? day : NthWorkingDayAfter(day, 1);

    /// <summary><paramref name="day"/> if it is a working day, else the one before.</summary>
    public DateOnly WorkingDayOnOrBefore(DateOnly day) => IsWorkingDay(day) ? day : NthWorkingDayBefore(day, 1);

    /// <summary>How many working days there are after <paramref name="after"/> up to and including <paramref name="through"/> (0 when <paramref name="through"/> is not later).</summary>
    public int WorkingDaysBetween(DateOnly after, DateOnly through)
    {
        if (through <= after)
        {
            return 0;
        }

        // From each year's running count, not day by day: the office's pages count days overdue for thousands of tasks.
        var count = -Year(after.Year).WorkingDaysThrough(after);
        for (var year = after.Year; year < through.Year; year++)
        {
            count += Year(year).WorkingDays;
        }

        return count + Year(through.Year).WorkingDaysThrough(through);
    }

    /// <summary>
    /// Working days late at <paramref name="at"/>: the working days after the deadline's last day up
    /// to and including today (Vietnam); 1 from the moment the deadline passes, even on a day off,
    /// so a late task is never "0 days late". 0 while the deadline has not passed.
    /// </summary>
    public int DaysOverdue(Deadline deadline, DateTimeOffset at) =>
        deadline.HasPassed(at) ? Math.Max(1, WorkingDaysBetween(deadline.LastDay, VietnamTime.DateOf(at))) : 0;

    /// <summary>The ladder's "n-th working day after the deadline, at the send hour": <paramref name="sendHour"/>:00 Vietnam time on <see cref="NthWorkingDayAfter"/> the deadline's last day.</summary>
    public DateTimeOffset NthWorkingDayAfterAt(Deadline deadline, int n, int sendHour) =>
        VietnamTime.AtHour(NthWorkingDayAfter(deadline.LastDay, n), sendHour);

    /// <summary>The ladder's "n-th working day before the deadline's last day, at the send hour" (a reminder).</summary>
    public DateTimeOffset NthWorkingDayBeforeAt(Deadline deadline, int n, int sendHour) =>
        VietnamTime.AtHour(NthWorkingDayBefore(deadline.LastDay, n), sendHour);

    /// <summary>
    /// The first moment at or after <paramref name="instant"/> that is <paramref name="sendHour"/>:00
    /// (Vietnam) on a working day: what a step or digest that falls due on a day off, or after that
    /// day's send hour, waits for.
    /// </summary>
    public DateTimeOffset NextSendTime(DateTimeOffset instant, int sendHour)
    {
        var day = VietnamTime.DateOf(instant);
        if (VietnamTime.AtHour(day, sendHour) < instant)
        {
            day = day.AddDays(1);
        }

        return VietnamTime.AtHour(WorkingDayOnOrAfter(day), sendHour);
    }

    /// <summary>
    /// <paramref name="sendHour"/>:00 (Vietnam) on <paramref name="day"/> if it is a working day,
    /// else on the working day before it: where a reminder that falls on a day off goes.
    /// </summary>
    public DateTimeOffset SendTimeOnOrBefore(DateOnly day, int sendHour) => VietnamTime.AtHour(WorkingDayOnOrBefore(day), sendHour);

    /// <summary>
    /// The last moment at or before <paramref name="instant"/> that is <paramref name="sendHour"/>:00
    /// (Vietnam) on a working day.
    /// </summary>
    public DateTimeOffset PreviousSendTime(DateTimeOffset instant, int sendHour)
    {
        var day = VietnamTime.DateOf(instant);
        if (VietnamTime.AtHour(day, sendHour) > instant)
        {
            day = day.AddDays(-1);
        }

        return SendTimeOnOrBefore(day, sendHour);
    }

    private DateOnly Walk(DateOnly from, int n, int step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var day = from;
        for (int found = 0, walked = 0; found < n; walked++)
        {
            if (walked > SearchLimit + (n * 7))
            {
                throw new InvalidOperationException($"No working day found within {walked} days of {VietnamTime.Format(from)}.");
            }

            day = day.AddDays(step);
            found += IsWorkingDay(day) ? 1 : 0;
        }

        return day;
    }
}
