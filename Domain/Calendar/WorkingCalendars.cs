using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Calendar;

/// <summary>A year as the office last saved it: its settings, who saved them and when.</summary>
public sealed record StoredYear(YearSettings Settings, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>One change of a year's calendar, for its history: who (the signed-in principal's name), when, and what, in the office's words.</summary>
public sealed record CalendarChange(int Year, string By, DateTimeOffset At, IReadOnlyList<string> What);

/// <summary>Every year the office decided, and the version of the whole calendar they were read at.</summary>
public sealed record CalendarSnapshot(IReadOnlyList<Versioned<StoredYear>> Years, StoredVersion? Version);

/// <summary>
/// Storage of the calendar. The calendar has one version for all its years, changed by every write:
/// reading it is one small read, so every instance can tell at once whether its copy is still the
/// stored one. Writes are conditional on the year's version read; a year and its history entry are
/// written together.
/// </summary>
public interface ICalendarStore
{
    /// <summary>The calendar's current version (null: nothing was ever saved).</summary>
    Task<StoredVersion?> VersionAsync(CancellationToken cancellationToken);

    Task<CalendarSnapshot> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="year"/> if its stored version is still <paramref name="expected"/> (null: not stored yet), with <paramref name="change"/> in its history; a Conflict value otherwise.</summary>
    Task<Result<bool>> SaveAsync(StoredYear year, StoredVersion? expected, CalendarChange change, CancellationToken cancellationToken);

    /// <summary>The history of <paramref name="year"/>, newest first.</summary>
    Task<IReadOnlyList<CalendarChange>> ChangesAsync(int year, CancellationToken cancellationToken);
}

/// <summary>How days overdue and days left are counted: in working days (the default) or calendar days.</summary>
public enum DayUnit
{
    WorkingDays,
    CalendarDays,
}

public static class DayUnits
{
    /// <summary>"ngày làm việc" or "ngày", after the number.</summary>
    public static string Name(DayUnit unit) => unit == DayUnit.WorkingDays ? "ngày làm việc" : "ngày";
}

/// <summary>Days to or past a deadline, counted the way the office chose (working or calendar days), with a calendar.</summary>
public sealed record DayCount(DayUnit Unit, WorkingCalendar Calendar)
{
    /// <summary>Calendar days, as before the working-day calendar: 1 on the first day after the last day.</summary>
    public static readonly DayCount InCalendarDays = new(DayUnit.CalendarDays, WorkingCalendar.Default);

    public int DaysOverdue(Deadline deadline, DateTimeOffset at) =>
        Unit == DayUnit.WorkingDays ? Calendar.DaysOverdue(deadline, at) : deadline.DaysOverdue(at);

    /// <summary>Days after today (Vietnam) up to the deadline's last day: 0 on the last day, negative once it has passed (in calendar days then).</summary>
    public int DaysLeft(Deadline deadline, DateTimeOffset now)
    {
        var today = VietnamTime.DateOf(now);
        return Unit == DayUnit.WorkingDays && deadline.LastDay > today ? Calendar.WorkingDaysBetween(today, deadline.LastDay) : deadline.DaysLeft(now);
    }

    /// <summary>"ngày làm việc" or "ngày", after the number.</summary>
    public string UnitName => DayUnits.Name(Unit);
}

/// <summary>The calendar in force now, and how lateness is counted.</summary>
public interface ICalendarSource
{
    DayUnit CountDaysIn { get; }

    Task<WorkingCalendar> CurrentAsync(CancellationToken cancellationToken);
}

public static class CalendarSources
{
    /// <summary>The calendar in force and how lateness is counted with it.</summary>
    public static async Task<DayCount> DayCountAsync(this ICalendarSource source, CancellationToken cancellationToken) =>
        new(source.CountDaysIn, await source.CurrentAsync(cancellationToken));
}

/// <summary>Told when the office changed the calendar, so deadlines counted in working days can follow (e.g. the deadline check's index).</summary>
public interface ICalendarChangeListener
{
    Task CalendarChangedAsync(WorkingCalendar before, WorkingCalendar after, CancellationToken cancellationToken);
}

/// <summary>
/// The calendar in force, kept in memory. It is read often (every deadline in working days, every
/// "quá hạn N ngày") and changed rarely, so an instance keeps its copy and, at most once per
/// <see cref="CheckEvery"/>, asks storage for the calendar's version (one small read); only when
/// that version differs — another instance saved a change — does it read the calendar again. A
/// change saved here is in force here at once. A deadline computation itself never calls storage.
/// </summary>
public sealed class WorkingCalendars(ICalendarStore store, TimeProvider time) : ICalendarSource, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WorkingCalendar? _current;
    private StoredVersion? _version;
    private DateTimeOffset _checkedAt;

    public TimeSpan CheckEvery { get; init; } = TimeSpan.FromSeconds(30);

    public DayUnit CountDaysIn { get; init; } = DayUnit.WorkingDays;

    /// <summary>How many times this instance read the whole calendar (for tests and telemetry).</summary>
    public int Loads { get; private set; }

    public async Task<WorkingCalendar> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_current is { } fresh && time.GetUtcNow() - _checkedAt < CheckEvery)
        {
            return fresh;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_current is { } checkedMeanwhile && now - _checkedAt < CheckEvery)
            {
                return checkedMeanwhile;
            }

            if (_current is { } kept && await store.VersionAsync(cancellationToken) == _version)
            {
                _checkedAt = now;
                return kept;
            }

            var snapshot = await store.LoadAsync(cancellationToken);
            Loads++;
            _current = new WorkingCalendar(snapshot.Years.Select(y => y.Value.Settings), snapshot.Version?.Token ?? "default");
            _version = snapshot.Version;
            _checkedAt = now;
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the copy, so the next question reads the stored calendar (after a change saved here).</summary>
    public void Invalidate() => _current = null;

    public void Dispose() => _gate.Dispose();
}
