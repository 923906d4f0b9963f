using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

public sealed class DirectiveRegistrationTests
{
    private static readonly UnitTree Tree = new([UnitTreeTests.U("root", 1), UnitTreeTests.U("a", 2, "root"), UnitTreeTests.U("a1", 4, "a"), UnitTreeTests.U("b", 2, "root")]);
    private static readonly DateTimeOffset Now = new(2026, 2, 5, 9, 0, 0, TimeSpan.FromHours(7));

    private static DirectiveInput Input(params TaskInput[] tasks) =>
        new("643-CV/ĐU", "2026-02-05", "Đảng ủy UBND tỉnh", "Triển khai dịch vụ công", tasks);

    [Fact]
    public void The_seeds_directive_registers_with_task_ids_in_order_and_deadlines_at_the_end_of_the_day()
    {
        var directive = DirectiveRegistration.Register(
            Input(
                new TaskInput("Gửi danh sách cán bộ quản trị", "confirmation", "Trước ngày 06/02/2026", ["a", "b"]),
                new TaskInput("Báo cáo thống kê theo mẫu", "statistics", "2026-02-09", ["a/*"])),
            Tree,
            DirectiveId.New(),
            Now,
            WorkingCalendar.Default).Value;

        Assert.Equal(["t1", "t2"], directive.Tasks.Select(t => t.Id.Value));
        Assert.Equal(new DateOnly(2026, 2, 5), directive.Tasks[0].Due.LastDay);
        Assert.Equal(["a", "a1"], directive.Tasks[1].Units.Select(u => u.Value));
        Assert.Equal(directive.Tasks[1].Deadline, directive.LastDeadline);
    }

    [Fact]
    public void Every_invalid_field_is_reported_with_its_path()
    {
        var result = DirectiveRegistration.Register(
            new DirectiveInput("", "30/02/2026", "x", "y", [new TaskInput("", "report", "soon", ["nobody", "Bad Id"])]),
            Tree,
            DirectiveId.New(),
            Now,
            WorkingCalendar.Default);

        var fields = result.Error!.Fields.Select(f => f.Field).ToList();
        Assert.Equal(["number", "issuedOn", "tasks[0].title", "tasks[0].kind", "tasks[0].deadline", "tasks[0].units[0]", "tasks[0].units[1]"], fields);
    }

    [Fact]
    public void A_directive_without_tasks_or_a_task_without_units_is_refused()
    {
        Assert.Contains(DirectiveRegistration.Register(Input(), Tree, DirectiveId.New(), Now, WorkingCalendar.Default).Error!.Fields, f => f.Field == "tasks");
        Assert.Contains(DirectiveRegistration.Register(Input(new TaskInput("t", "confirmation", "2026-02-09", [])), Tree, DirectiveId.New(), Now, WorkingCalendar.Default).Error!.Fields, f => f.Field == "tasks[0].units");
    }

    [Fact]
    public void A_unit_named_twice_is_assigned_once()
    {
        var directive = DirectiveRegistration.Register(Input(new TaskInput("t", "confirmation", "2026-02-09", ["a", "a/*", "a1"])), Tree, DirectiveId.New(), Now, WorkingCalendar.Default).Value;

        Assert.Equal(["a", "a1"], directive.Tasks[0].Units.Select(u => u.Value));
    }
}
