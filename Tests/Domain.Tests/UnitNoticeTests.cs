using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>The email that tells a unit of its tasks and its link, the ids that make it exist once, and what a closed directive tells a unit.</summary>
public sealed class UnitNoticeTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly Deadline Due = Deadline.ParseWritten("Trước ngày 26/02/2026", "d").Value;
    private static readonly Unit Parent = Unit.Create(UnitId.Parse("dang-bo").Value, "Đảng bộ Sở Tài chính", "2", null, "db@example.invalid").Value;
    private static readonly Unit Cell = Unit.Create(UnitId.Parse("chi-bo").Value, "Chi bộ Phòng Ngân sách", "4", "dang-bo", "cb@example.invalid").Value;
    private static readonly Unit Mute = Unit.Create(UnitId.Parse("chi-bo-cam").Value, "Chi bộ Phòng Kế hoạch", "4", "dang-bo", null).Value;

    private static readonly Directive Directive = new(
        DirectiveId.New(), "643-CV/ĐU", new DateOnly(2026, 2, 5), "Đảng ủy UBND tỉnh", "Triển khai dịch vụ công",
        [
            new DirectiveTask(TaskId.ForIndex(0), "Gửi danh sách cán bộ quản trị", TaskKind.Confirmation, Due, [Cell.Id, Mute.Id]),
            new DirectiveTask(TaskId.ForIndex(1), "Báo cáo số liệu", TaskKind.Statistics, Deadline.ParseWritten("chậm nhất ngày 10/03/2026", "d").Value, [Cell.Id]),
        ],
        new DateTimeOffset(2026, 2, 5, 9, 0, 0, Vn));

    [Fact]
    public void The_notice_lists_each_task_of_the_unit_with_its_deadline_and_ends_with_the_units_own_link()
    {
        var recipients = new Recipients([EmailAddress.Parse("cb@example.invalid").Value], [], Redirect.None, Cell);

        var email = NoticeEmails.For(NoticeSteps.Assigned, Directive, Directive.Tasks, Cell.Id, Cell, recipients, "https://vp.example/u/abc");

        Assert.Equal("Giao nhiệm vụ: Công văn số 643-CV/ĐU — Triển khai dịch vụ công", email.Subject);
        Assert.StartsWith("Kính gửi: Chi bộ Phòng Ngân sách\n", email.Text, StringComparison.Ordinal);
        Assert.Contains("Thực hiện Công văn số 643-CV/ĐU ngày 05/02/2026 của Đảng ủy UBND tỉnh về việc Triển khai dịch vụ công, Văn phòng Đảng ủy thông báo đơn vị được giao các nhiệm vụ sau:", email.Text, StringComparison.Ordinal);
        Assert.Contains("  - Gửi danh sách cán bộ quản trị (hạn hết ngày 25/02/2026).", email.Text, StringComparison.Ordinal);
        Assert.Contains("  - Báo cáo số liệu (hạn hết ngày 10/03/2026).", email.Text, StringComparison.Ordinal);
        Assert.Contains("https://vp.example/u/abc\n", email.Text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://vp.example/u/abc\">", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("yyyy", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_link_says_the_old_one_no_longer_works_and_a_unit_without_an_address_is_told_through_its_parent()
    {
        var viaParent = new Recipients([EmailAddress.Parse("db@example.invalid").Value], [], Redirect.UnitToParent, Parent);

        var email = NoticeEmails.For(NoticeSteps.Reissued, Directive, [Directive.Tasks[0]], Mute.Id, Mute, viaParent, "https://vp.example/u/new");

        Assert.Equal("Chuyển Chi bộ Phòng Kế hoạch — Đường dẫn mới để báo cáo Công văn số 643-CV/ĐU", email.Subject);
        Assert.StartsWith("Kính gửi: Đảng bộ Sở Tài chính\n\nThư này gửi tới Chi bộ Phòng Kế hoạch; vì đơn vị chưa có địa chỉ thư điện tử", email.Text, StringComparison.Ordinal);
        Assert.Contains("đường dẫn gửi trước đây không còn dùng được", email.Text, StringComparison.Ordinal);
        Assert.Contains("  - Gửi danh sách cán bộ quản trị (hạn hết ngày 25/02/2026).", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_notice_exists_once_per_unit_and_link_version_and_each_press_of_resend_is_its_own_email()
    {
        var first = UnitNotices.NoticeId(Directive.Id, Cell.Id, NoticeSteps.Assigned, "1");

        Assert.Equal(first, UnitNotices.NoticeId(Directive.Id, Cell.Id, NoticeSteps.Assigned, "1"));
        Assert.NotEqual(first, UnitNotices.NoticeId(Directive.Id, Cell.Id, NoticeSteps.Assigned, "2"));
        Assert.NotEqual(first, UnitNotices.NoticeId(Directive.Id, Mute.Id, NoticeSteps.Assigned, "1"));
        Assert.NotEqual(UnitNotices.NoticeId(Directive.Id, Cell.Id, NoticeSteps.Resent, "press-a"), UnitNotices.NoticeId(Directive.Id, Cell.Id, NoticeSteps.Resent, "press-b"));
        Assert.Equal(32, first.Length);
        Assert.Equal("Thư giao nhiệm vụ", NoticeSteps.DisplayName(NoticeSteps.Assigned));
        Assert.Equal("Thư gửi đường dẫn mới", NoticeSteps.DisplayName(NoticeSteps.Reissued));
        Assert.Equal("Thư tổng hợp hằng ngày", NoticeSteps.DisplayName("digest"));
    }

    [Fact]
    public void A_closed_directive_tells_the_unit_the_Vietnam_day_it_ended_and_refuses_reports_as_a_conflict()
    {
        var closure = new DirectiveClosure(new DateTimeOffset(2026, 3, 1, 18, 30, 0, TimeSpan.Zero), "Nguyễn Văn A", null); // 02/03 01:30 in Vietnam

        Assert.Equal("Công văn đã kết thúc ngày 02/03/2026; không nhận thêm báo cáo.", closure.UnitNotice);
        Assert.Equal((ErrorKind.Conflict, "directive-closed"), (closure.Refusal.Kind, closure.Refusal.Code));
        Assert.Equal("Không gửi: công văn đã kết thúc trước khi đến lượt gửi.", OutboxNotes.Describe(new OutboxEntry
        {
            Id = "x", Scope = Directive.Id.Value, Step = "step-1", Audience = Audience.Unit(Cell.Id), To = [], Content = new EmailContent("s", "t", "h"),
            CreatedAt = Directive.RegisteredAt, State = OutboxState.Skipped, Note = OutboxNote.Closed,
        }));
    }
}
