using System.Security.Cryptography;
using System.Text;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>Which assignment a ladder belongs to.</summary>
public readonly record struct AssignmentKey(DirectiveId DirectiveId, TaskId TaskId, UnitId UnitId)
{
    /// <summary>
    /// The id of the notification for <paramref name="step"/> of this assignment alone: the same for
    /// every run that decides it, so storage can insert it only if absent — no race or rerun adds a second one.
    /// </summary>
    public string NotificationId(LadderStep step) => Hash($"{DirectiveId}|{TaskId}|{UnitId}|{step.Name}");

    /// <summary>The id of one email carrying <paramref name="step"/> for several assignments of one directive, meant for <paramref name="audience"/>: derived from all of them.</summary>
    public static string NotificationId(LadderStep step, Audience audience, IReadOnlyList<AssignmentKey> keys) =>
        keys.Count == 1 && audience.Kind == AudienceKind.Unit
            ? keys[0].NotificationId(step)
            : Hash($"{keys[0].DirectiveId}|{step.Name}|{audience}|{string.Join(';', keys.Select(k => $"{k.TaskId}|{k.UnitId}").Order(StringComparer.Ordinal))}");

    /// <summary>
    /// The id of a notification about a task whose deadline the office extended <paramref name="extensions"/>
    /// times: a reminder for the new deadline is a new email, not the one already sent (the same id as before when never extended).
    /// </summary>
    public static string Revised(string id, int extensions) => extensions == 0 ? id : Hash($"{id}|gia-han-{extensions}");

    public override string ToString() => $"{DirectiveId}|{TaskId}|{UnitId}";

    private static string Hash(string material) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)))[..32];
}

/// <summary>What the email that carried the step before is known to have done: nothing to wait for, still waiting to be sent, or gone out at an instant.</summary>
public readonly record struct PreviousStep(bool Waiting, DateTimeOffset? WentOutAt)
{
    public static readonly PreviousStep None = new(false, null);

    public static readonly PreviousStep StillWaiting = new(true, null);

    public static PreviousStep WentOut(DateTimeOffset at) => new(false, at);
}

/// <summary>What the ladder says for one assignment at one instant: at most one step to send, the steps to record as skipped, and when to look again.</summary>
public sealed record LadderDecision(LadderStep? Send, IReadOnlyList<LadderStep> Skip, DateTimeOffset? NextDueAt)
{
    public static readonly LadderDecision Nothing = new(null, [], null);

    public bool HasWork => Send is not null || Skip.Count > 0;
}

/// <summary>One step of a forecast: when it would go out if the unit never reported, or that it will be skipped.</summary>
public sealed record ForecastStep(LadderStep Step, DateTimeOffset? At)
{
    public bool Skipped => At is null;
}

/// <summary>
/// The ladder of one assignment, as a pure function of its deadline, whether it is done, the steps
/// already recorded (with when the last one went out), a hold, and now — by <see cref="DueRule"/>.
/// It never looks at when the timer last ran: a missed, failed or doubled run changes nothing about
/// who gets what.
/// <list type="bullet">
/// <item>A unit that has completed the task gets nothing more, at once.</item>
/// <item>At most one step is sent per decision: the next one whose moment has come.</item>
/// <item>Of several reminders due together, only the latest is sent (the others are recorded as
/// skipped); once the deadline has passed every reminder left is skipped — step 1 speaks instead.</item>
/// <item>While the email of the step before is still waiting to be sent, the next step waits too;
/// the ladder looks again after <see cref="WaitingRecheck"/>.</item>
/// </list>
/// </summary>
public static class Ladder
{
    /// <summary>How soon a ladder waiting for the step before to go out is looked at again.</summary>
    public static readonly TimeSpan WaitingRecheck = TimeSpan.FromHours(1);

    /// <summary>The recorded step whose email the next overdue step waits for (step 1 for step 2, step 2 for step 3); none when nothing waits.</summary>
    public static LadderStep? Awaited(LadderState ladder) =>
        EscalationPolicy.OverdueSteps.Where(s => !ladder.Has(s)).Select(EscalationPolicy.Before).FirstOrDefault();

    public static LadderDecision Decide(DueRule rule, Deadline deadline, LadderState ladder, PreviousStep previous, bool completed, DateTimeOffset now)
    {
        if (completed)
        {
            return LadderDecision.Nothing;
        }

        if (!rule.SendsOn(now))
        {
            // A day off (Vietnam time): nothing goes out today; the ladder is looked at again at the next working day's send hour.
            return new LadderDecision(null, [], rule.NextSendingMoment(now));
        }

        var held = ladder.Hold is { } hold && ladder.IsHeld(rule, now) ? hold.Through : (DateOnly?)null;
        var open = rule.Policy.Steps.Where(s => !ladder.Has(s)).ToList();
        var skip = new List<LadderStep>();
        LadderStep? send = null;

        // Reminders: only the latest of those due, none once the deadline has passed, none while held.
        var reminders = open.Where(s => s.Rung == Rung.Reminder).ToList();
        if (deadline.HasPassed(now))
        {
            skip.AddRange(reminders);
            reminders.Clear();
        }
        else if (reminders.Where(r => rule.ScheduledAt(r, deadline) <= now).ToList() is { Count: > 0 } due)
        {
            skip.AddRange(due[..^1]);
            reminders.RemoveAll(skip.Contains);
            if (held is null)
            {
                send = due[^1];
                reminders.Remove(due[^1]);
            }
        }

        // Steps 1–3: the first not yet recorded, once the rule says it is due.
        DateTimeOffset? next = null;
        var overdue = open.Where(s => s.IsOverdueStep).ToList();
        if (overdue.Count > 0)
        {
            var step = overdue[0];
            if (send is null && deadline.HasPassed(now) && !previous.Waiting && rule.DueAt(step, deadline, previous.WentOutAt, held) <= now)
            {
                send = step;
                next = overdue.Count > 1 ? rule.DueAt(overdue[1], deadline, now, held) : null;
            }
            else
            {
                next = previous.Waiting ? now + WaitingRecheck : rule.DueAt(step, deadline, previous.WentOutAt, held);
            }
        }

        foreach (var at in reminders.Select(r => rule.ScheduledAt(r, deadline)))
        {
            next = next is { } n && n <= at ? n : at;
        }

        if (held is { } through && next is { } soon && soon < rule.ResumesAt(through))
        {
            next = rule.ResumesAt(through);
        }

        return new LadderDecision(send, skip, next);
    }

    /// <summary>
    /// The next step the timer will send if the unit never reports, and when: the next reminder
    /// whose moment has not passed, else the next overdue step by <see cref="DueRule.DueAt"/> — no
    /// moment while it waits for the step before to go out.
    /// </summary>
    public static (LadderStep? Step, DateTimeOffset? At) Upcoming(DueRule rule, Deadline deadline, LadderState ladder, PreviousStep previous, DateTimeOffset now)
    {
        var held = ladder.Hold is { } hold && ladder.IsHeld(rule, now) ? hold.Through : (DateOnly?)null;
        var open = rule.Policy.Steps.Where(s => !ladder.Has(s)).ToList();
        if (!deadline.HasPassed(now))
        {
            foreach (var reminder in open.Where(s => s.Rung == Rung.Reminder))
            {
                var at = rule.ScheduledAt(reminder, deadline);
                if (held is { } through && rule.ResumesAt(through) > at)
                {
                    at = rule.ResumesAt(through);
                }

                if (at < rule.ReminderWindowEnds(reminder, deadline))
                {
                    return (reminder, at);
                }
            }
        }

        return open.FirstOrDefault(s => s.IsOverdueStep) is { IsOverdueStep: true } step
            ? (step, previous.Waiting ? null : rule.DueAt(step, deadline, previous.WentOutAt, held))
            : (null, null);
    }

    /// <summary>
    /// What the ladder will send for <paramref name="deadline"/> if the unit never reports, from a
    /// registration at <paramref name="registeredAt"/>: each step with its moment (the first run
    /// after registration for a step already due), or skipped — by running <see cref="Decide"/>
    /// itself over time, each email taken to go out at its moment.
    /// </summary>
    public static IReadOnlyList<ForecastStep> Forecast(DueRule rule, Deadline deadline, DateTimeOffset registeredAt)
    {
        var ladder = LadderState.Empty(default);
        var forecast = new List<ForecastStep>();
        var at = registeredAt;
        var previous = PreviousStep.None;
        for (var guard = 0; guard < 20; guard++)
        {
            var decision = Decide(rule, deadline, ladder, previous, completed: false, at);
            forecast.AddRange(decision.Skip.Select(s => new ForecastStep(s, null)));
            if (decision.Send is { } sent)
            {
                forecast.Add(new ForecastStep(sent, at));
                previous = PreviousStep.WentOut(at);
            }

            ladder = ladder.With(decision.Skip, decision.Send, null, at);
            if (decision.NextDueAt is not { } next)
            {
                break;
            }

            at = next > at ? next : at.AddTicks(1);
        }

        return forecast;
    }

    /// <summary>
    /// What a reminder the office sends by hand at <paramref name="now"/> records: the ladder's own
    /// step if one is due today (step 1 once the deadline has passed; before it, a reminder whose
    /// moment is today or past) — so the timer never sends that step a second time — else the
    /// office's reminder of the day. Refused when the unit has completed the task, or was already
    /// reminded about it today (by hand or by the timer), so a form posted twice sends one email.
    /// </summary>
    public static Result<(LadderStep Step, IReadOnlyList<LadderStep> Skip)> Manual(DueRule rule, Deadline deadline, LadderState ladder, bool completed, DateTimeOffset now)
    {
        if (completed)
        {
            return Error.Conflict("already-completed", "Đơn vị đã hoàn thành nhiệm vụ này; không cần nhắc nữa.");
        }

        var today = VietnamTime.DateOf(now);
        if (ladder.Marks.FirstOrDefault(m => m.Value is { EmailId: not null, At: { } at } && VietnamTime.DateOf(at) == today
                && LadderStep.Parse(m.Key) is { Rung: Rung.Reminder or Rung.Step1 or Rung.Manual }) is { Value.At: { } earlier })
        {
            return Error.Conflict("already-reminded", $"Hôm nay đơn vị đã được nhắc về nhiệm vụ này lúc {VietnamTime.ToVietnam(earlier):HH:mm}; thư nhắc không gửi hai lần trong một ngày.");
        }

        if (deadline.HasPassed(now))
        {
            if (!ladder.Has(LadderStep.Step1))
            {
                return (LadderStep.Step1, rule.Policy.Reminders.Where(r => !ladder.Has(r)).ToList());
            }
        }
        else
        {
            var dueToday = rule.Policy.Reminders.Where(r => !ladder.Has(r) && VietnamTime.DateOf(rule.ScheduledAt(r, deadline)) <= today).ToList();
            if (dueToday.Count > 0)
            {
                return (dueToday[^1], dueToday.Take(dueToday.Count - 1).ToList());
            }
        }

        var manual = LadderStep.ManualOn(today);
        return ladder.Has(manual)
            ? Error.Conflict("already-reminded", "Hôm nay đơn vị đã được nhắc về nhiệm vụ này; thư nhắc không gửi hai lần trong một ngày.")
            : (manual, []);
    }
}
