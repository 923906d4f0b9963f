using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>
/// The one rule for when a step of the ladder is due, in Vietnam time (UTC+7). A step is due at the
/// later of
/// <list type="number">
/// <item>its <b>scheduled moment</b>: the deadline's last day plus the step's configured days
/// overdue (negative for reminders), at the send hour — <see cref="ScheduledAt(Deadline, int, int)"/>;</item>
/// <item>the moment the <b>step before it</b> was actually sent (or settled without sending:
/// recorded, failed, skipped) plus the configured gap between the two — counted from the Vietnam
/// day it went out, at the send hour, through the same method; a step whose email is still waiting
/// to be sent holds the next one back;</item>
/// <item>the end of a <b>hold</b> the office put on the ladder (the unit asked for time): the day
/// after the hold's last day, at the send hour, again through the same method.</item>
/// </list>
/// So a unit always hears first and the steps arrive in order, one at a time: neither a late
/// registration nor an outage of the timer sends several steps of one assignment in one run.
/// A reminder is worth sending only until the next reminder's moment (or the deadline): an earlier
/// one due at the same time is skipped, and none is sent once the deadline has passed.
/// <para>Every moment comes out of <see cref="ScheduledAt(Deadline, int, int)"/>, the one place
/// where days are counted and the send hour is placed. With the working-day calendar
/// (<see cref="With"/>), days overdue and the gaps between steps are counted in working days (or in
/// calendar days, as the office chose: <see cref="DayCount.Unit"/>), and no moment falls on a day
/// off: a step or the digest goes at the send hour of the next working day, a reminder at the send
/// hour of the working day before (all in Vietnam time) — unless the office chose
/// <see cref="EscalationPolicy.SendOnDaysOff"/>. Without a calendar (tests of the ladder alone),
/// calendar days, every day.</para>
/// </summary>
public sealed class DueRule(EscalationPolicy policy, DayCount? days = null)
{
    public EscalationPolicy Policy => policy;

    /// <summary>How days are counted and which days are off; none: calendar days, every day a sending day.</summary>
    public DayCount? Days => days;

    /// <summary>This rule counting with <paramref name="count"/>: the calendar in force and the office's choice of working or calendar days.</summary>
    public DueRule With(DayCount count) => new(policy, count);

    /// <summary>
    /// The scheduled moment of a step <paramref name="daysOverdue"/> days after <paramref name="deadline"/>'s
    /// last day (day 1 is the first day late; −3 is three days before the last day), at
    /// <paramref name="sendHour"/> o'clock, Vietnam time: counted in working days with the calendar
    /// (a step on the n-th working day after the last day, a reminder on the n-th working day before
    /// it), or in calendar days and then moved off days off (a step later, a reminder earlier).
    /// </summary>
    public DateTimeOffset ScheduledAt(Deadline deadline, int daysOverdue, int sendHour)
    {
        if (days is not { } count || (policy.SendOnDaysOff && count.Unit == DayUnit.CalendarDays))
        {
            return VietnamTime.StartOf(deadline.LastDay.AddDays(daysOverdue)).AddHours(sendHour);
        }

        var calendar = count.Calendar;
        var inWorkingDays = count.Unit == DayUnit.WorkingDays;
        return daysOverdue switch
        {
            > 0 when inWorkingDays => calendar.NthWorkingDayAfterAt(deadline, daysOverdue, sendHour),
            > 0 => calendar.NextSendTime(VietnamTime.AtHour(deadline.LastDay.AddDays(daysOverdue), sendHour), sendHour),
            < 0 when inWorkingDays => calendar.NthWorkingDayBeforeAt(deadline, -daysOverdue, sendHour),
            _ => calendar.SendTimeOnOrBefore(deadline.LastDay.AddDays(daysOverdue), sendHour),
        };
    }

    /// <summary>Whether anything of the ladder may be sent at <paramref name="now"/>: not on a day off (Vietnam time).</summary>
    public bool SendsOn(DateTimeOffset now) => days is not { } count || policy.SendOnDaysOff || count.Calendar.IsWorkingDay(VietnamTime.DateOf(now));

    /// <summary>When sending may start again after a day off: the send hour of the next working day (Vietnam).</summary>
    public DateTimeOffset NextSendingMoment(DateTimeOffset now) =>
        days is { } count ? count.Calendar.NextSendTime(now, policy.SendHour) : now;

    /// <summary>The scheduled moment of <paramref name="step"/> for <paramref name="deadline"/>.</summary>
    public DateTimeOffset ScheduledAt(LadderStep step, Deadline deadline) =>
        ScheduledAt(deadline, policy.DaysOverdue(step), policy.SendHour);

    /// <summary>The earliest moment for <paramref name="step"/> once the step before it went out at <paramref name="previousSentAt"/>: the configured gap later, counted from that Vietnam day.</summary>
    public DateTimeOffset AfterPrevious(LadderStep step, DateTimeOffset previousSentAt) =>
        ScheduledAt(Deadline.EndOfDay(VietnamTime.DateOf(previousSentAt)), policy.GapDays(step), policy.SendHour);

    /// <summary>When a ladder held through <paramref name="through"/> (the last day of the hold) starts again: the next day, at the send hour.</summary>
    public DateTimeOffset ResumesAt(DateOnly through) =>
        ScheduledAt(Deadline.EndOfDay(through), 1, policy.SendHour);

    /// <summary>
    /// When <paramref name="step"/> is due: the later of its scheduled moment, the step before it
    /// sent at <paramref name="previousSentAt"/> plus the gap, and the end of a hold through
    /// <paramref name="heldThrough"/> (either may be absent).
    /// </summary>
    public DateTimeOffset DueAt(LadderStep step, Deadline deadline, DateTimeOffset? previousSentAt, DateOnly? heldThrough)
    {
        var due = ScheduledAt(step, deadline);
        if (previousSentAt is { } sent && AfterPrevious(step, sent) is var after && after > due)
        {
            due = after;
        }

        return heldThrough is { } through && ResumesAt(through) is var resumes && resumes > due ? resumes : due;
    }

    /// <summary>Until when <paramref name="reminder"/> is worth sending: the next reminder's scheduled moment, else the deadline.</summary>
    public DateTimeOffset ReminderWindowEnds(LadderStep reminder, Deadline deadline) =>
        policy.Reminders.Where(r => r.Days < reminder.Days).Select(r => ScheduledAt(r, deadline)).Append(deadline.PassesAt).Min();

    /// <summary>The moment of the office's digest on Vietnam day <paramref name="day"/>: its send hour; on a day off, none that day (the next working day's).</summary>
    public DateTimeOffset DigestAt(DateOnly day) =>
        days is { } count && !policy.SendOnDaysOff ? count.Calendar.NextSendTime(VietnamTime.StartOf(day), policy.SendHour) : VietnamTime.StartOf(day).AddHours(policy.SendHour);
}
