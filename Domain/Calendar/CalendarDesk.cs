using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Calendar;

/// <summary>A year as the office sees it: its days, whether (and by whom, when) it was decided, its history, and today (Vietnam).</summary>
public sealed record YearView(YearCalendar Calendar, StoredYear? Stored, IReadOnlyList<CalendarChange> Changes, DateOnly Today);

/// <summary>A change saved (or not, when it changed nothing): the year as it now is and what changed, in the office's words (empty: nothing was saved).</summary>
public sealed record CalendarEdit(YearCalendar Year, IReadOnlyList<string> What);

/// <summary>
/// The office's calendar desk: shows a year and saves the office's changes to it. A change is
/// read–modified–written on the year's stored version (a concurrent change is retried on), refused
/// if it would change a day already past, recorded with who made it (the signed-in principal's
/// name) and what changed, put in force at once on this instance and within
/// <see cref="WorkingCalendars.CheckEvery"/> on the others, and announced to the listeners (deadlines
/// counted in working days follow it). Saving what is already there saves nothing.
/// </summary>
public sealed class CalendarDesk(ICalendarStore store, WorkingCalendars calendars, IEnumerable<ICalendarChangeListener> listeners, TimeProvider time)
{
    private const int Attempts = 4;

    public async Task<YearView> ViewAsync(int year, CancellationToken cancellationToken)
    {
        var snapshot = await store.LoadAsync(cancellationToken);
        var stored = snapshot.Years.FirstOrDefault(y => y.Value.Settings.Year == year)?.Value;
        var changes = await store.ChangesAsync(year, cancellationToken);
        var current = YearCalendar.Compute(stored?.Settings ?? YearSettings.Default(year));
        return new YearView(current, stored, changes, VietnamTime.DateOf(time.GetUtcNow()));
    }

    /// <summary>Applies <paramref name="edit"/> to the stored year; the year as it now is and what changed, or the edit's (or the past-day check's) problems.</summary>
    public async Task<Result<CalendarEdit>> ChangeAsync(int year, Func<YearSettings, Result<YearSettings>> edit, string by, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var snapshot = await store.LoadAsync(cancellationToken);
            var stored = snapshot.Years.FirstOrDefault(y => y.Value.Settings.Year == year);
            var before = new WorkingCalendar(snapshot.Years.Select(y => y.Value.Settings));
            var settings = stored?.Value.Settings ?? YearSettings.Default(year);
            var edited = edit(settings);
            if (!edited.IsSuccess)
            {
                return edited.Error!;
            }

            var what = edited.Value.ChangesFrom(settings);
            var after = before.With(edited.Value);
            if (what.Count == 0)
            {
                return new CalendarEdit(after.Year(year), []);
            }

            var now = time.GetUtcNow();
            var past = CalendarEdits.CheckPastUnchanged(before.Year(year), after.Year(year), VietnamTime.DateOf(now));
            if (!past.IsSuccess)
            {
                return past.Error!;
            }

            var saved = await store.SaveAsync(new StoredYear(edited.Value, by, now), stored?.Version, new CalendarChange(year, by, now, what), cancellationToken);
            if (saved.IsSuccess)
            {
                calendars.Invalidate();
                foreach (var listener in listeners)
                {
                    await listener.CalendarChangedAsync(before, after, cancellationToken);
                }

                return new CalendarEdit(after.Year(year), what);
            }

            if (saved.Error!.Kind != ErrorKind.Conflict)
            {
                return saved.Error;
            }
        }

        return Error.Conflict("concurrent-change", "Lịch năm vừa được sửa đồng thời; hãy tải lại trang và thử lại.");
    }
}
