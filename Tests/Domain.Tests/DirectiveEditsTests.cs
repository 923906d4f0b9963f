using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>Issue 16 points 2 and 3, the rules alone: tasks without a deadline, roles, and editing a registered directive.</summary>
public sealed class DirectiveEditsTests
{
    private static readonly UnitTree Tree = new([UnitTreeTests.U("root", 1), UnitTreeTests.U("a", 2, "root"), UnitTreeTests.U("a1", 4, "a"), UnitTreeTests.U("b", 2, "root")]);
    private static readonly DateTimeOffset Now = new(2026, 2, 20, 9, 0, 0, TimeSpan.FromHours(7));

    private static Directive Registered(params TaskInput[] tasks) =>
        DirectiveRegistration.Register(new("000-CV/ĐU", "13/02/2026", "Đảng ủy phường Đống Đa", "Tài khoản ngân hàng", tasks), Tree, DirectiveId.New(), Now, WorkingCalendar.Default).Value;

    private static DirectiveEditInput Edit(string? reason = null, TaskEditInput[]? tasks = null, TaskInput[]? newTasks = null, string? number = null) =>
        new(number, null, null, null, reason, tasks, newTasks);

    private static TaskEditInput Task(string id, string? deadline = null, bool cancel = false, string[]? add = null, string?[]? roles = null, string[]? remove = null) =>
        new(id, add, roles, remove, deadline, cancel);

    [Fact]
    public void A_task_left_without_a_deadline_registers_is_never_escalated_and_is_never_late()
    {
        var directive = Registered(new TaskInput("Đăng nhập Cổng dịch vụ công", "confirmation", "  ", ["a"]));
        var task = directive.Tasks[0];
        var done = new SubmissionVersion("v1", directive.Id, task.Id, UnitId.Parse("a").Value, Now.AddYears(2), SubmissionStatus.Done, string.Empty, false, []);

        Assert.Null(task.Deadline);
        Assert.False(task.Escalates);
        Assert.Null(directive.LastDeadline);
        Assert.Equal("không có hạn", task.DeadlineText);
        Assert.Equal(AssignmentState.Pending, AssignmentStanding.Evaluate(task.Deadline, [], Now.AddYears(5)).State);
        Assert.Equal(AssignmentState.SubmittedOnTime, AssignmentStanding.Evaluate(task.Deadline, [done], Now.AddYears(5)).State);
        Assert.True(directive.FollowedUntil(TimeSpan.FromDays(60)) > Now.AddDays(360));
    }

    [Fact]
    public void Each_unit_takes_the_role_its_reference_gives_and_a_branch_gives_it_to_every_unit_under_it()
    {
        var task = Registered(new TaskInput("Mở tài khoản", "confirmation", "2026-02-25", ["a/*", "b"]) { Roles = ["phối hợp", "chu-tri"] }).Tasks[0];
        var wrong = DirectiveRegistration.Register(new("1", "13/02/2026", "x", "y", [new TaskInput("Mở tài khoản", "confirmation", null, ["a"]) { Roles = ["chủ quản"] }]), Tree, DirectiveId.New(), Now, WorkingCalendar.Default);

        Assert.Equal(UnitRole.PhoiHop, task.RoleOf(UnitId.Parse("a1").Value));
        Assert.Equal(UnitRole.ChuTri, task.RoleOf(UnitId.Parse("b").Value));
        Assert.Equal("tasks[0].units[0].role", Assert.Single(wrong.Error!.Fields).Field);
    }

    [Fact]
    public void Extending_a_deadline_needs_a_reason_and_a_later_date_and_is_recorded_in_the_units_words()
    {
        var before = Registered(new TaskInput("Mở tài khoản ngân hàng", "confirmation", "Trước ngày 26/02/2026", ["a", "b"]));

        var noReason = DirectiveEdits.Apply(before, Edit(tasks: [Task("t1", "10/03/2026")]), Tree, "Nguyễn Văn A", Now, WorkingCalendar.Default);
        var earlier = DirectiveEdits.Apply(before, Edit("lý do", [Task("t1", "20/02/2026")]), Tree, "Nguyễn Văn A", Now, WorkingCalendar.Default);
        var extended = DirectiveEdits.Apply(before, Edit("Ngân hàng chưa mở kịp", [Task("t1", "10/03/2026")]), Tree, "Nguyễn Văn A", Now, WorkingCalendar.Default).Value;

        Assert.Equal("reason", Assert.Single(noReason.Error!.Fields).Field);
        Assert.Equal("not-later", Assert.Single(earlier.Error!.Fields).Code);
        Assert.Equal(Deadline.EndOfDay(new DateOnly(2026, 3, 10)), extended.After.Tasks[0].Deadline);
        Assert.Equal(1, extended.After.Tasks[0].Extensions);
        Assert.Equal(1, extended.After.Revision);
        var line = Assert.Single(extended.Change.Lines);
        Assert.Equal("Gia hạn nhiệm vụ 1 “Mở tài khoản ngân hàng” từ 25/02/2026 đến 10/03/2026", line.Text);
        Assert.Equal(["a", "b"], line.Units.Select(u => u.Value));
        Assert.Equal([before.Tasks[0].Id], extended.NewDeadlines);
        Assert.Equal("Nguyễn Văn A", extended.Change.By);
    }

    [Fact]
    public void Units_are_added_with_their_role_and_taken_off_with_a_reason_but_a_task_keeps_at_least_one()
    {
        var before = Registered(new TaskInput("Mở tài khoản ngân hàng", "confirmation", null, ["a", "b"]));

        var edited = DirectiveEdits.Apply(before, Edit("Chuyển sinh hoạt", [Task("t1", add: ["a1"], roles: ["chu-tri"], remove: ["a"])]), Tree, "VP", Now, WorkingCalendar.Default).Value;
        var none = DirectiveEdits.Apply(before, Edit("x", [Task("t1", remove: ["a", "b"])]), Tree, "VP", Now, WorkingCalendar.Default);
        var notThere = DirectiveEdits.Apply(before, Edit("x", [Task("t1", remove: ["a1"])]), Tree, "VP", Now, WorkingCalendar.Default);

        var task = edited.After.Tasks[0];
        Assert.Equal(["b", "a1"], task.Units.Select(u => u.Value));
        Assert.Equal(UnitRole.ChuTri, task.RoleOf(UnitId.Parse("a1").Value));
        Assert.Equal("Chuyển sinh hoạt", task.Withdrawn[UnitId.Parse("a").Value].Reason);
        Assert.Equal(["a1"], edited.Added.Select(k => k.UnitId.Value));
        Assert.Equal(["a"], edited.Removed.Select(k => k.UnitId.Value));
        Assert.NotNull(UnitWorkspace.Closed(task, UnitId.Parse("a").Value));
        Assert.Null(UnitWorkspace.Closed(task, UnitId.Parse("b").Value));
        Assert.Equal("no-unit-left", Assert.Single(none.Error!.Fields).Code);
        Assert.Equal("not-assigned", Assert.Single(notThere.Error!.Fields).Code);
    }

    [Fact]
    public void A_cancelled_task_stops_escalating_and_cannot_be_edited_again_and_new_tasks_are_numbered_after_the_last()
    {
        var before = Registered(new TaskInput("Mở tài khoản ngân hàng", "confirmation", "2026-02-25", ["a"]));

        var cancelled = DirectiveEdits.Apply(before, Edit("Có hướng dẫn mới", [Task("t1", cancel: true)], [new TaskInput("Báo cáo kết quả", "confirmation", null, ["b"])]), Tree, "VP", Now, WorkingCalendar.Default).Value;
        var again = DirectiveEdits.Apply(cancelled.After, Edit("x", [Task("t1", "2026-03-10")]), Tree, "VP", Now, WorkingCalendar.Default);
        var nothing = DirectiveEdits.Apply(before, Edit(number: "000-CV/ĐU"), Tree, "VP", Now, WorkingCalendar.Default);

        Assert.False(cancelled.After.Tasks[0].Escalates);
        Assert.Equal("t2", cancelled.After.Tasks[1].Id.Value);
        Assert.Null(cancelled.After.Tasks[1].Deadline);
        Assert.Null(cancelled.After.LastDeadline); // the cancelled task's deadline no longer counts
        Assert.Equal("task-cancelled", Assert.Single(again.Error!.Fields).Code);
        Assert.Equal("nothing-changed", Assert.Single(nothing.Error!.Fields).Code);
    }
}
