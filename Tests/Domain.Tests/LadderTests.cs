using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>The ladder of one assignment under the one due rule (<see cref="DueRule"/>), with the default policy: reminders 3 and 1 days before, steps 1, 2, 3 on days 1, 2, 5 late, at 07:00 Vietnam time.</summary>
public sealed class LadderTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly DueRule Rule = new(new EscalationPolicy());

    // "Trước ngày 26/02/2026": the last day is 25/02/2026.
    private static readonly Deadline Due = Deadline.ParseWritten("Trước ngày 26/02/2026", "d").Value;

    private static readonly AssignmentKey Key = new(DirectiveId.New(), TaskId.ForIndex(0), UnitId.Parse("chi-bo").Value);

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0, int second = 0) => new(2026, month, day, hour, minute, second, Vn);

    private static LadderState Recorded(params string[] steps) =>
        new(Key, steps.ToDictionary(s => s, _ => new StepMark(null, null)));

    private static List<string> Send(DateTimeOffset now, PreviousStep previous, params string[] recorded) =>
        Ladder.Decide(Rule, Due, Recorded(recorded), previous, completed: false, now) is { Send: { } step } ? [step.Name] : [];

    private static List<string> Send(DateTimeOffset now, params string[] recorded) => Send(now, PreviousStep.None, recorded);

    /// <summary>
    /// The timer every 5 minutes from <paramref name="from"/> to <paramref name="until"/>, each email going out
    /// with its run (as a run sends what it decided before it returns): every step sent, with its run.
    /// </summary>
    private static List<(string Step, DateTimeOffset At)> Runs(DateTimeOffset from, DateTimeOffset until, Deadline? deadline = null, LadderState? start = null)
    {
        var ladder = start ?? LadderState.Empty(Key);
        var wentOut = new Dictionary<string, DateTimeOffset>();
        var sent = new List<(string, DateTimeOffset)>();
        for (var now = from; now <= until; now = now.AddMinutes(5))
        {
            var previous = Ladder.Awaited(ladder) is { } awaited && wentOut.TryGetValue(awaited.Name, out var at) ? PreviousStep.WentOut(at) : PreviousStep.None;
            var decision = Ladder.Decide(Rule, deadline ?? Due, ladder, previous, completed: false, now);
            if (decision.Send is { } step)
            {
                sent.Add((step.Name, now));
                wentOut[step.Name] = now;
            }

            ladder = ladder.With(decision.Skip, decision.Send, null, now);
        }

        return sent;
    }

    [Fact]
    public void Every_step_is_scheduled_in_one_place_the_last_day_plus_its_days_overdue_at_the_send_hour()
    {
        Assert.Equal(At(2, 22, 7), Rule.ScheduledAt(LadderStep.Reminder(3), Due));
        Assert.Equal(At(2, 24, 7), Rule.ScheduledAt(LadderStep.Reminder(1), Due));
        Assert.Equal(At(2, 26, 7), Rule.ScheduledAt(LadderStep.Step1, Due));
        Assert.Equal(At(2, 27, 7), Rule.ScheduledAt(LadderStep.Step2, Due));
        Assert.Equal(At(3, 2, 7), Rule.ScheduledAt(LadderStep.Step3, Due));
        Assert.Equal(Rule.ScheduledAt(Due, 5, 7), Rule.ScheduledAt(LadderStep.Step3, Due));
        Assert.Equal(5, Due.DaysOverdue(At(3, 2, 7)));
        Assert.Equal([1, 3], new[] { LadderStep.Step2, LadderStep.Step3 }.Select(new EscalationPolicy().GapDays));
    }

    [Fact]
    public void A_step_is_due_at_the_latest_of_its_schedule_the_step_before_sent_plus_the_gap_and_the_end_of_a_hold()
    {
        Assert.Equal(At(2, 27, 7), Rule.DueAt(LadderStep.Step2, Due, At(2, 26, 7, 1), null));
        Assert.Equal(At(3, 1, 7), Rule.DueAt(LadderStep.Step2, Due, At(2, 28, 23, 55), null));
        Assert.Equal(At(3, 4, 7), Rule.DueAt(LadderStep.Step3, Due, At(3, 1, 7), null));
        Assert.Equal(At(3, 11, 7), Rule.DueAt(LadderStep.Step3, Due, At(3, 1, 7), new DateOnly(2026, 3, 10)));
    }

    [Fact]
    public void Reminders_go_at_seven_in_the_morning_three_days_and_one_day_before_the_last_day()
    {
        Assert.Empty(Send(At(2, 22, 6, 59, 59)));
        Assert.Equal(["reminder-3d"], Send(At(2, 22, 7)));
        Assert.Empty(Send(At(2, 24, 6, 59, 59), "reminder-3d"));
        Assert.Equal(["reminder-1d"], Send(At(2, 24, 7), "reminder-3d"));
    }

    [Fact]
    public void Step_1_goes_at_seven_on_the_first_day_late_not_at_midnight_when_the_deadline_passes()
    {
        Assert.Empty(Send(At(2, 25, 23, 59, 59), "reminder-3d", "reminder-1d"));
        Assert.Empty(Send(At(2, 26, 0), "reminder-3d", "reminder-1d"));
        Assert.Empty(Send(At(2, 26, 6, 59, 59), "reminder-3d", "reminder-1d"));
        Assert.Equal(["step-1"], Send(At(2, 26, 7), "reminder-3d", "reminder-1d"));
    }

    [Fact]
    public void Step_2_is_due_on_the_second_day_overdue_and_step_3_on_the_fifth_across_the_month_end_when_each_step_before_went_out_on_time()
    {
        var recorded = new[] { "reminder-3d", "reminder-1d", "step-1" };
        var step1 = PreviousStep.WentOut(At(2, 26, 7));
        var step2 = PreviousStep.WentOut(At(2, 27, 7));

        Assert.Empty(Send(At(2, 27, 6, 59, 59), step1, recorded));
        Assert.Equal(["step-2"], Send(At(2, 27, 7), step1, recorded));
        Assert.Empty(Send(At(3, 2, 6, 59, 59), step2, [.. recorded, "step-2"]));
        Assert.Equal(["step-3"], Send(At(3, 2, 7), step2, [.. recorded, "step-2"]));
    }

    [Fact]
    public void While_the_email_of_the_step_before_waits_to_be_sent_the_next_step_waits_and_is_looked_at_again_within_the_hour()
    {
        var decision = Ladder.Decide(Rule, Due, Recorded("reminder-3d", "reminder-1d", "step-1"), PreviousStep.StillWaiting, completed: false, At(3, 10, 12));

        Assert.Null(decision.Send);
        Assert.Equal(At(3, 10, 13), decision.NextDueAt);
    }

    [Theory]
    [InlineData(3, "28/02 08:00", "01/03 07:00", "04/03 07:00")]
    [InlineData(6, "03/03 08:00", "04/03 07:00", "07/03 07:00")]
    [InlineData(30, "27/03 08:00", "28/03 07:00", "31/03 07:00")]
    public void After_an_outage_of_the_timer_the_unit_hears_first_and_the_steps_arrive_in_order_one_per_run_each_the_gap_after_the_last(int days, string step1, string step2, string step3)
    {
        // The timer ran until the morning of the last day (both reminders sent), then stopped for `days` days.
        var before = Runs(At(2, 20, 8), At(2, 25, 8));
        var start = Recorded([.. before.Select(s => s.Step)]);
        var resumed = At(2, 25, 8).AddDays(days);

        var after = Runs(resumed, resumed.AddDays(20), start: start);

        Assert.Equal(["reminder-3d", "reminder-1d"], before.Select(s => s.Step));
        Assert.Equal(["step-1", "step-2", "step-3"], after.Select(s => s.Step));
        Assert.Equal([step1, step2, step3], after.Select(s => VietnamTime.ToVietnam(s.At).ToString("dd/MM HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(after.Count, after.Select(s => s.At).Distinct().Count());
    }

    [Fact]
    public void A_dispatch_registered_300_days_late_sends_step_1_first_then_one_step_at_a_time_days_apart_and_no_reminder()
    {
        var registered = At(2, 25, 10).AddDays(300);
        var first = Ladder.Decide(Rule, Due, LadderState.Empty(Key), PreviousStep.None, completed: false, registered);
        var runs = Runs(registered, registered.AddDays(20));

        Assert.Equal(LadderStep.Step1, first.Send);
        Assert.Equal(["reminder-3d", "reminder-1d"], first.Skip.Select(s => s.Name));
        Assert.Equal(["step-1", "step-2", "step-3"], runs.Select(s => s.Step));
        Assert.Equal(registered, runs[0].At);
        Assert.Equal(Rule.ScheduledAt(Deadline.EndOfDay(VietnamTime.DateOf(registered)), 1, 7), runs[1].At);
        Assert.Equal(runs[1].At.AddDays(3), runs[2].At);
        Assert.Equal(runs.Select(r => (r.Step, (DateTimeOffset?)r.At)), Ladder.Forecast(Rule, Due, registered).Where(f => !f.Skipped).Select(f => (f.Step.Name, f.At)));
    }

    [Fact]
    public void Of_two_reminders_due_together_only_the_later_one_is_sent_and_none_once_the_deadline_has_passed()
    {
        var decision = Ladder.Decide(Rule, Due, LadderState.Empty(Key), PreviousStep.None, completed: false, At(2, 24, 9));
        var late = Ladder.Decide(Rule, Due, Recorded("reminder-3d"), PreviousStep.None, completed: false, At(2, 26, 0, 30));

        Assert.Equal(LadderStep.Reminder(1), decision.Send);
        Assert.Equal(["reminder-3d"], decision.Skip.Select(s => s.Name));
        Assert.Equal(At(2, 26, 7), decision.NextDueAt);
        Assert.Null(late.Send);
        Assert.Equal(["reminder-1d"], late.Skip.Select(s => s.Name));
        Assert.Equal(At(2, 24, 7), Rule.ReminderWindowEnds(LadderStep.Reminder(3), Due));
        Assert.Equal(Due.PassesAt, Rule.ReminderWindowEnds(LadderStep.Reminder(1), Due));
    }

    [Fact]
    public void A_completed_assignment_has_nothing_due_ever_again()
    {
        var decision = Ladder.Decide(Rule, Due, LadderState.Empty(Key), PreviousStep.None, completed: true, At(3, 10, 12));

        Assert.False(decision.HasWork);
        Assert.Null(decision.NextDueAt);
    }

    [Fact]
    public void Deciding_twice_with_what_the_first_recorded_sends_nothing_twice()
    {
        var first = Ladder.Decide(Rule, Due, LadderState.Empty(Key), PreviousStep.None, completed: false, At(2, 26, 8));
        var ladder = LadderState.Empty(Key).With(first.Skip, first.Send, "e1", At(2, 26, 8));

        var second = Ladder.Decide(Rule, Due, ladder, PreviousStep.WentOut(At(2, 26, 8)), completed: false, At(2, 26, 8));

        Assert.Equal(LadderStep.Step1, first.Send);
        Assert.Equal(At(2, 27, 7), first.NextDueAt);
        Assert.False(second.HasWork);
        Assert.Equal(At(2, 27, 7), second.NextDueAt);
    }

    [Fact]
    public void A_ladder_held_through_a_day_sends_nothing_until_the_next_morning_then_carries_on()
    {
        var held = Recorded("reminder-3d", "reminder-1d", "step-1") with { Hold = new LadderHold(new DateOnly(2026, 3, 4), "Đơn vị xin thêm thời gian", At(2, 27, 9)) };
        var step1 = PreviousStep.WentOut(At(2, 26, 7));

        var during = Ladder.Decide(Rule, Due, held, step1, completed: false, At(3, 4, 23));
        var after = Ladder.Decide(Rule, Due, held, step1, completed: false, At(3, 5, 7));

        Assert.Null(during.Send);
        Assert.Equal(At(3, 5, 7), during.NextDueAt);
        Assert.Equal(LadderStep.Step2, after.Send);
        Assert.True(held.IsHeld(Rule, At(3, 5, 6, 59)));
        Assert.False(held.IsHeld(Rule, At(3, 5, 7)));
    }

    [Fact]
    public void A_reminder_by_hand_is_the_ladders_own_step_when_one_is_due_today_otherwise_one_of_the_office_a_day_and_never_for_a_completed_unit()
    {
        var beforeReminder = Ladder.Manual(Rule, Due, LadderState.Empty(Key), completed: false, At(2, 20, 9)).Value;
        var onReminderDay = Ladder.Manual(Rule, Due, LadderState.Empty(Key), completed: false, At(2, 24, 6)).Value;
        var late = Ladder.Manual(Rule, Due, Recorded("reminder-3d"), completed: false, At(2, 26, 1)).Value;
        var afterStep1 = Ladder.Manual(Rule, Due, Recorded("step-1"), completed: false, At(3, 1, 9)).Value;
        var twice = Ladder.Manual(Rule, Due, Recorded("step-1", afterStep1.Step.Name), completed: false, At(3, 1, 15));
        var sentThisMorning = new LadderState(Key, new Dictionary<string, StepMark> { ["step-1"] = new("e1", At(2, 26, 7)) });
        var afterTheTimer = Ladder.Manual(Rule, Due, sentThisMorning, completed: false, At(2, 26, 9));
        var nextDay = Ladder.Manual(Rule, Due, sentThisMorning, completed: false, At(2, 27, 9));
        var done = Ladder.Manual(Rule, Due, LadderState.Empty(Key), completed: true, At(3, 1, 9));

        Assert.Equal(LadderStep.ManualOn(new DateOnly(2026, 2, 20)), beforeReminder.Step);
        Assert.Equal(LadderStep.Reminder(1), onReminderDay.Step);
        Assert.Equal([LadderStep.Reminder(3)], onReminderDay.Skip);
        Assert.Equal(LadderStep.Step1, late.Step);
        Assert.Equal([LadderStep.Reminder(1)], late.Skip);
        Assert.Equal("manual-20260301", afterStep1.Step.Name);
        Assert.Equal("already-reminded", twice.Error!.Code);
        Assert.Equal("already-reminded", afterTheTimer.Error!.Code);
        Assert.Contains("lúc 07:00", afterTheTimer.Error.Message, StringComparison.Ordinal);
        Assert.Equal("manual-20260227", nextDay.Value.Step.Name);
        Assert.Equal("already-completed", done.Error!.Code);
        Assert.Equal(afterStep1.Step, LadderStep.Parse("manual-20260301"));
    }

    [Fact]
    public void Notification_ids_are_the_same_for_the_same_assignments_and_step_and_differ_otherwise()
    {
        var other = Key with { UnitId = UnitId.Parse("b").Value };
        var parent = Audience.Parent(UnitId.Parse("p").Value);

        Assert.Equal(Key.NotificationId(LadderStep.Step1), Key.NotificationId(LadderStep.Step1));
        Assert.Equal(Key.NotificationId(LadderStep.Step1), AssignmentKey.NotificationId(LadderStep.Step1, Audience.Unit(Key.UnitId), [Key]));
        Assert.NotEqual(Key.NotificationId(LadderStep.Step1), Key.NotificationId(LadderStep.Step2));
        Assert.NotEqual(Key.NotificationId(LadderStep.Step1), other.NotificationId(LadderStep.Step1));
        Assert.Equal(AssignmentKey.NotificationId(LadderStep.Step2, parent, [Key, other]), AssignmentKey.NotificationId(LadderStep.Step2, parent, [other, Key]));
        Assert.NotEqual(AssignmentKey.NotificationId(LadderStep.Step2, parent, [Key, other]), AssignmentKey.NotificationId(LadderStep.Step2, parent, [Key]));
    }

    [Fact]
    public void A_task_registered_late_is_said_late_with_what_will_be_sent_and_when_or_that_nothing_will_with_no_reminders()
    {
        var registered = At(2, 25, 10).AddDays(300);
        var forecast = Ladder.Forecast(Rule, Due, registered);

        var notice = LateRegistration.Describe(Due, remind: true, forecast, registered);
        var quiet = LateRegistration.Describe(Due, remind: false, [], registered);

        Assert.True(LateRegistration.IsLate(Due, registered));
        Assert.StartsWith("Hạn hoàn thành (hết ngày 25/02/2026) đã qua 300 ngày.", notice, StringComparison.Ordinal);
        Assert.Contains("Bước 1: nhắc đơn vị quá hạn — ngay lần kiểm tra hạn đầu tiên sau khi tạo", notice, StringComparison.Ordinal);
        Assert.Contains($"Bước 2: báo cấp trên — khoảng 07:00 {VietnamTime.Format(VietnamTime.DateOf(registered).AddDays(1))}", notice, StringComparison.Ordinal);
        Assert.Contains("Không gửi nhắc trước hạn", notice, StringComparison.Ordinal);
        Assert.EndsWith("Không nhắc: đơn vị được ghi nhận là quá hạn, hệ thống không gửi thư nào.", quiet, StringComparison.Ordinal);
    }
}
