using System.Globalization;
using Cronos;

namespace ServerlessWorkflow.Functions.Hosting;

/// <summary>
/// A timer trigger's <c>schedule</c> as the Functions host reads it: a six-field NCRONTAB
/// expression (<c>{second} {minute} {hour} {day} {month} {day-of-week}</c>), evaluated in UTC as
/// the host does when no time zone is configured, or a <c>hh:mm:ss</c> interval.
/// </summary>
public sealed class TimerSchedule
{
    private readonly CronExpression? _cron;
    private readonly TimeSpan _interval;

    private TimerSchedule(CronExpression? cron, TimeSpan interval)
    {
        _cron = cron;
        _interval = interval;
    }

    public static TimerSchedule Parse(string schedule)
    {
        if (schedule.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(schedule, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(null, interval);
        }

        return new TimerSchedule(CronExpression.Parse(schedule, CronFormat.IncludeSeconds), TimeSpan.Zero);
    }

    /// <summary>Whether <paramref name="schedule"/> is a schedule this type reads.</summary>
    public static bool TryParse(string? schedule, out TimerSchedule? parsed)
    {
        try
        {
            parsed = schedule is { Length: > 0 } ? Parse(schedule) : null;
        }
        catch (CronFormatException)
        {
            parsed = null;
        }

        return parsed is not null;
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after) =>
        _cron is null
            ? after + _interval
            : _cron.GetNextOccurrence(after.ToUniversalTime(), TimeZoneInfo.Utc, inclusive: false)
              ?? throw new InvalidOperationException("The schedule has no further occurrence.");
}
