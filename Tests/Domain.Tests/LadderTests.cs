using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

public sealed class LadderTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly EscalationPolicy Policy = new();

    // "Trước ngày 26/02/2026": the last day is 25/02/2026.
    private static readonly Deadline Due = Deadline.ParseWritten("Trước ngày 26/02/2026", "d").Value;

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0, int second = 0) => new(2026, month, day, hour, minute, second, Vn);

    private static List<string> Send(DateTimeOffset now, params string[] recorded) =>
        Ladder.Decide(Policy, Due, completed: false, recorded.ToHashSet(), now).Send.Select(s => s.Name).ToList();

    [Fact]
    public void Reminders_go_at_seven_in_the_morning_three_days_and_one_day_before_the_last_day()
    {
        Assert.Empty(Send(At(2, 22, 6, 59, 59)));
        Assert.Equal(["reminder-3d"], Send(At(2, 22, 7)));
        Assert.Empty(Send(At(2, 24, 6, 59, 59), "reminder-3d"));
        Assert.Equal(["reminder-1d"], Send(At(2, 24, 7), "reminder-3d"));
    }

    [Fact]
    public void Step_1_is_not_due_at_23_59_59_on_the_last_day_and_is_due_at_00_00_00_the_next_day()
    {
        Assert.Empty(Send(At(2, 25, 23, 59, 59), "reminder-3d", "reminder-1d"));
        Assert.Equal(["step-1"], Send(At(2, 26, 0), "reminder-3d", "reminder-1d"));
    }

    [Fact]
    public void Step_2_is_due_on_the_second_day_overdue_and_step_3_on_the_fifth_across_the_month_end()
    {
        var recorded = new[] { "reminder-3d", "reminder-1d", "step-1" };

        Assert.Empty(Send(At(2, 27, 6, 59, 59), recorded));
        Assert.Equal(["step-2"], Send(At(2, 27, 7), recorded));
        Assert.Empty(Send(At(3, 2, 6, 59, 59), [.. recorded, "step-2"]));
        Assert.Equal(["step-3"], Send(At(3, 2, 7), [.. recorded, "step-2"]));
        Assert.Equal(5, Due.DaysOverdue(At(3, 2, 7)));
    }

    [Fact]
    public void A_run_after_a_long_outage_sends_every_step_due_once_and_skips_reminders_that_are_too_late()
    {
        var decision = Ladder.Decide(Policy, Due, completed: false, new HashSet<string>(), At(3, 10, 12));

        Assert.Equal(["step-1", "step-2", "step-3"], decision.Send.Select(s => s.Name));
        Assert.Equal(["reminder-3d", "reminder-1d"], decision.Skip.Select(s => s.Name));
        Assert.Null(decision.NextDueAt);
    }

    [Fact]
    public void Of_two_reminders_due_together_only_the_later_one_is_sent()
    {
        var decision = Ladder.Decide(Policy, Due, completed: false, new HashSet<string>(), At(2, 24, 9));

        Assert.Equal(["reminder-1d"], decision.Send.Select(s => s.Name));
        Assert.Equal(["reminder-3d"], decision.Skip.Select(s => s.Name));
        Assert.Equal(Due.PassesAt, decision.NextDueAt);
    }

    [Fact]
    public void A_completed_assignment_has_nothing_due_ever_again()
    {
        var decision = Ladder.Decide(Policy, Due, completed: true, new HashSet<string>(), At(3, 10, 12));

        Assert.False(decision.HasWork);
        Assert.Null(decision.NextDueAt);
    }

    [Fact]
    public void Deciding_twice_with_what_the_first_recorded_sends_nothing_twice()
    {
        var first = Ladder.Decide(Policy, Due, completed: false, new HashSet<string>(), At(2, 26, 1));
        var recorded = first.Send.Concat(first.Skip).Select(s => s.Name).ToHashSet();

        var second = Ladder.Decide(Policy, Due, completed: false, recorded, At(2, 26, 1));

        Assert.Empty(second.Send);
        Assert.Equal(Policy.DueAt(new LadderStep(Rung.Step2, 0), Due), second.NextDueAt);
    }

    [Fact]
    public void Notification_ids_are_the_same_for_the_same_assignment_and_step_and_differ_otherwise()
    {
        var key = new AssignmentKey(DirectiveId.New(), TaskId.ForIndex(0), UnitId.Parse("a").Value);
        var other = key with { UnitId = UnitId.Parse("b").Value };
        var step1 = new LadderStep(Rung.Step1, 0);

        Assert.Equal(key.NotificationId(step1), key.NotificationId(step1));
        Assert.NotEqual(key.NotificationId(step1), key.NotificationId(new LadderStep(Rung.Step2, 0)));
        Assert.NotEqual(key.NotificationId(step1), other.NotificationId(step1));
    }

    [Fact]
    public void Step_2_goes_to_the_parent_copying_the_office_and_a_broken_chain_goes_to_the_office()
    {
        var parent = UnitTreeTests.U("parent", 2);
        var child = UnitTreeTests.U("child", 4, "parent");
        var orphan = UnitTreeTests.U("orphan", 4, "gone");
        var office = new OfficeAddresses(Address("vp@example.invalid"), [Address("btv@example.invalid"), Address("ubkt@example.invalid")]);
        var tree = new UnitTree([parent, child, orphan]);
        var step2 = new LadderStep(Rung.Step2, 0);

        var normal = Ladder.RecipientsFor(step2, child, tree.ChainUpward(child.Id), office);
        var broken = Ladder.RecipientsFor(step2, orphan, tree.ChainUpward(orphan.Id), office);
        var step3 = Ladder.RecipientsFor(new LadderStep(Rung.Step3, 0), child, tree.ChainUpward(child.Id), office);

        Assert.Equal([parent.Email], normal.To);
        Assert.Equal(["vp@example.invalid"], normal.Cc.Select(a => a.Value));
        Assert.Equal(["vp@example.invalid"], broken.To.Select(a => a.Value));
        Assert.True(broken.BrokenChain);
        Assert.Equal(["btv@example.invalid", "ubkt@example.invalid"], step3.To.Select(a => a.Value));
    }

    [Fact]
    public void Emails_are_in_Vietnamese_with_dates_dd_MM_yyyy_the_link_and_a_one_line_subject_even_from_hostile_text()
    {
        var unit = Unit.Create(UnitId.Parse("cb").Value, "Chi bộ\u2028Bcc: x@evil", "4", null, "cb@example.invalid").Value;
        var directive = new Directive(DirectiveId.New(), "643-CV/ĐU", new DateOnly(2026, 2, 5), "Đảng ủy UBND tỉnh", "Dịch vụ công\r\nBcc: x@evil", [new DirectiveTask(TaskId.ForIndex(0), "Gửi <b>danh sách</b>", TaskKind.Confirmation, Due, [unit.Id])], At(2, 5, 9));

        var email = Emails.ForStep(new LadderStep(Rung.Step1, 0), directive, directive.Tasks[0], unit, new UnitChain([], ChainBreak.None), At(2, 27, 9), "https://example.invalid/u/abc");

        Assert.Equal("Quá hạn 2 ngày: Gửi <b>danh sách</b> — hạn 25/02/2026", email.Subject);
        Assert.DoesNotContain('\n', email.Subject);
        Assert.Contains("Công văn số 643-CV/ĐU ngày 05/02/2026", email.Text, StringComparison.Ordinal);
        Assert.Contains("https://example.invalid/u/abc", email.Text, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;danh", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>danh", email.Html, StringComparison.Ordinal);
    }

    private static EmailAddress Address(string text) => EmailAddress.Parse(text).Value;
}
