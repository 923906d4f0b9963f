using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>Who gets each email (no email without a recipient) and what it says: grouped, in Vietnamese, saying how late.</summary>
public sealed class EscalationEmailTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private static readonly Deadline Due = Deadline.ParseWritten("Trước ngày 26/02/2026", "d").Value;
    private static readonly OfficeAddresses Office = new(Address("vp@example.invalid"), [Address("btv@example.invalid"), Address("ubkt@example.invalid")]);

    private static readonly Unit Top = Unit.Create(Id("dang-uy"), "Đảng ủy", "1", null, "du@example.invalid").Value;
    private static readonly Unit Parent = Unit.Create(Id("dang-bo"), "Đảng bộ Sở Tài chính", "2", "dang-uy", "db@example.invalid").Value;
    private static readonly Unit Silent = Unit.Create(Id("dang-bo-im"), "Đảng bộ Sở Xây dựng", "2", "dang-uy", null).Value;
    private static readonly Unit Cell = Unit.Create(Id("chi-bo"), "Chi bộ Phòng Ngân sách", "4", "dang-bo", "cb@example.invalid").Value;
    private static readonly Unit Mute = Unit.Create(Id("chi-bo-cam"), "Chi bộ Phòng Kế hoạch", "4", "dang-bo", " ").Value;
    private static readonly Unit Orphan = Unit.Create(Id("chi-bo-moi"), "Chi bộ mồ côi", "4", "da-xoa", null).Value;
    private static readonly Unit UnderSilent = Unit.Create(Id("chi-bo-xd"), "Chi bộ Phòng Quy hoạch", "4", "dang-bo-im", null).Value;
    private static readonly UnitTree Tree = new([Top, Parent, Silent, Cell, Mute, Orphan, UnderSilent]);

    private static readonly Directive Directive = new(
        DirectiveId.New(), "643-CV/ĐU", new DateOnly(2026, 2, 5), "Đảng ủy UBND tỉnh", "Dịch vụ công",
        [
            new DirectiveTask(TaskId.ForIndex(0), "Gửi danh sách cán bộ quản trị", TaskKind.Confirmation, Due, [Cell.Id, Mute.Id]),
            new DirectiveTask(TaskId.ForIndex(1), "Mở tài khoản ngân hàng", TaskKind.Confirmation, Due, [Cell.Id, Mute.Id]),
        ],
        new DateTimeOffset(2026, 2, 5, 9, 0, 0, Vn));

    private static UnitId Id(string id) => UnitId.Parse(id).Value;

    private static EmailAddress Address(string text) => EmailAddress.Parse(text).Value;

    private static EmailLine Line(int task, Unit unit) => new(Directive.Tasks[task], unit.Id, unit, Tree.ChainUpward(unit.Id).IsBroken);

    [Fact]
    public void A_unit_without_an_address_is_reached_through_its_parent_then_the_office_and_nobody_is_never_an_email()
    {
        var own = Addressing.Resolve(Audience.Unit(Cell.Id), Tree, Office);
        var viaParent = Addressing.Resolve(Audience.Unit(Mute.Id), Tree, Office);
        var viaOffice = Addressing.Resolve(Audience.Unit(UnderSilent.Id), Tree, Office);
        var broken = Addressing.Resolve(Audience.Unit(Orphan.Id), Tree, Office);
        var nobody = Addressing.Resolve(Audience.Unit(UnderSilent.Id), Tree, new OfficeAddresses(null, []));

        Assert.Equal(["cb@example.invalid"], own.To.Select(a => a.Value));
        Assert.Equal((Redirect.UnitToParent, "db@example.invalid"), (viaParent.Redirect, viaParent.To.Single().Value));
        Assert.Equal((Redirect.UnitToOffice, "vp@example.invalid"), (viaOffice.Redirect, viaOffice.To.Single().Value));
        Assert.Equal(Redirect.UnitToOffice, broken.Redirect);
        Assert.False(nobody.HasAnyone);
        Assert.Null(Mute.Email);
    }

    [Fact]
    public void Step_2_goes_to_the_parent_copying_the_office_and_step_3_to_the_committees_or_with_no_list_to_the_office_saying_so()
    {
        var step2 = Addressing.Resolve(Addressing.AudienceOf(LadderStep.Step2, Cell.Id, Tree), Tree, Office);
        var noParentAddress = Addressing.Resolve(Addressing.AudienceOf(LadderStep.Step2, UnderSilent.Id, Tree), Tree, Office);
        var broken = Addressing.AudienceOf(LadderStep.Step2, Orphan.Id, Tree);
        var step3 = Addressing.Resolve(Audience.Committees, Tree, Office);
        var noList = Addressing.Resolve(Audience.Committees, Tree, Office with { Escalation = [] });

        Assert.Equal(Audience.Parent(Parent.Id), Addressing.AudienceOf(LadderStep.Step2, Cell.Id, Tree));
        Assert.Equal(["db@example.invalid"], step2.To.Select(a => a.Value));
        Assert.Equal(["vp@example.invalid"], step2.Cc.Select(a => a.Value));
        Assert.Equal((Redirect.ParentToOffice, "vp@example.invalid"), (noParentAddress.Redirect, noParentAddress.To.Single().Value));
        Assert.Equal(Audience.Office, broken);
        Assert.Equal(["btv@example.invalid", "ubkt@example.invalid"], step3.To.Select(a => a.Value));
        Assert.Equal((Redirect.CommitteesToOffice, "vp@example.invalid"), (noList.Redirect, noList.To.Single().Value));
    }

    [Fact]
    public void Step_2_lists_every_late_sub_unit_of_the_parent_in_one_email_and_step_3_is_one_summary_with_the_late_units()
    {
        var now = new DateTimeOffset(2026, 3, 2, 7, 0, 0, Vn);
        var lines = new[] { Line(0, Cell), Line(0, Mute), Line(1, Cell) };

        var step2 = Emails.For(LadderStep.Step2, Directive, lines, Addressing.Resolve(Audience.Parent(Parent.Id), Tree, Office), now, null);
        var step3 = Emails.For(LadderStep.Step3, Directive, lines, Addressing.Resolve(Audience.Committees, Tree, Office with { Escalation = [] }), now, null);

        Assert.Equal("2 đơn vị trực thuộc quá hạn — Công văn số 643-CV/ĐU", step2.Subject);
        Assert.StartsWith("Kính gửi: Đảng bộ Sở Tài chính", step2.Text, StringComparison.Ordinal);
        Assert.Contains("  - Chi bộ Phòng Ngân sách: Gửi danh sách cán bộ quản trị (hạn 25/02/2026), quá hạn 5 ngày.", step2.Text, StringComparison.Ordinal);
        Assert.Contains("  - Chi bộ Phòng Kế hoạch: Gửi danh sách cán bộ quản trị (hạn 25/02/2026), quá hạn 5 ngày.", step2.Text, StringComparison.Ordinal);
        Assert.Contains("  - Chi bộ Phòng Ngân sách: Mở tài khoản ngân hàng (hạn 25/02/2026), quá hạn 5 ngày.", step2.Text, StringComparison.Ordinal);
        Assert.Equal("Đề xuất nhắc nhở, phê bình: 2 đơn vị quá hạn — Công văn số 643-CV/ĐU", step3.Subject);
        Assert.Contains("chưa cấu hình địa chỉ thư điện tử của Ban Thường vụ và Ủy ban Kiểm tra nên thư này được gửi về Văn phòng", step3.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_units_email_sent_through_its_parent_says_so_says_how_late_and_carries_the_units_link()
    {
        var now = new DateTimeOffset(2026, 12, 22, 10, 0, 0, Vn);
        var reach = Addressing.Resolve(Audience.Unit(Mute.Id), Tree, Office);

        var email = Emails.For(LadderStep.Step1, Directive, [Line(0, Mute)], reach, now, "https://example.invalid/u/abc");

        Assert.Equal("Chuyển Chi bộ Phòng Kế hoạch — Quá hạn 300 ngày: Gửi danh sách cán bộ quản trị — hạn 25/02/2026", email.Subject);
        Assert.StartsWith("Kính gửi: Đảng bộ Sở Tài chính", email.Text, StringComparison.Ordinal);
        Assert.Contains("chưa có địa chỉ thư điện tử trên hệ thống, Văn phòng gửi qua đơn vị cấp trên", email.Text, StringComparison.Ordinal);
        Assert.Contains("đã quá hạn 300 ngày", email.Text, StringComparison.Ordinal);
        Assert.Contains("https://example.invalid/u/abc", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Emails_are_in_Vietnamese_with_dates_dd_MM_yyyy_the_link_and_a_one_line_subject_even_from_hostile_text()
    {
        var unit = Unit.Create(Id("cb"), "Chi bộ\u2028Bcc: x@evil", "4", null, "cb@example.invalid").Value;
        var directive = new Directive(DirectiveId.New(), "643-CV/ĐU", new DateOnly(2026, 2, 5), "Đảng ủy UBND tỉnh", "Dịch vụ công\r\nBcc: x@evil", [new DirectiveTask(TaskId.ForIndex(0), "Gửi <b>danh sách</b>", TaskKind.Confirmation, Due, [unit.Id])], new DateTimeOffset(2026, 2, 5, 9, 0, 0, Vn));
        var tree = new UnitTree([unit]);

        var email = Emails.For(LadderStep.Step1, directive, [new EmailLine(directive.Tasks[0], unit.Id, unit, false)], Addressing.Resolve(Audience.Unit(unit.Id), tree, Office), new DateTimeOffset(2026, 2, 27, 9, 0, 0, Vn), "https://example.invalid/u/abc");

        Assert.Equal("Quá hạn 2 ngày: Gửi <b>danh sách</b> — hạn 25/02/2026", email.Subject);
        Assert.DoesNotContain('\n', email.Subject);
        Assert.Contains("Công văn số 643-CV/ĐU ngày 05/02/2026", email.Text, StringComparison.Ordinal);
        Assert.Contains("https://example.invalid/u/abc", email.Text, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;danh", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>danh", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_digest_names_the_units_without_an_address_and_where_their_reminders_go()
    {
        var day = new DateOnly(2026, 3, 1);
        var lines = new[]
        {
            new DigestLine(Directive, Directive.Tasks[0], Mute, Mute.Id, true, 4, false, Addressing.Resolve(Audience.Unit(Mute.Id), Tree, Office)),
            new DigestLine(Directive, Directive.Tasks[0], Cell, Cell.Id, false, 1, false, Addressing.Resolve(Audience.Unit(Cell.Id), Tree, Office)),
        };

        var digest = Emails.Digest(day, lines);

        Assert.Equal("Tổng hợp ngày 01/03/2026: 1 đơn vị quá hạn, 1 đơn vị hoàn thành muộn", digest.Subject);
        Assert.Contains("  - Chi bộ Phòng Kế hoạch: quá hạn 4 ngày (chưa có địa chỉ thư: thư nhắc gửi qua Đảng bộ Sở Tài chính)", digest.Text, StringComparison.Ordinal);
        Assert.Contains("Đơn vị chưa có địa chỉ thư điện tử (đề nghị bổ sung trong danh sách đơn vị): Chi bộ Phòng Kế hoạch.", digest.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void What_the_office_reads_about_an_email_is_Vietnamese_and_says_why_it_was_only_recorded()
    {
        var entry = new OutboxEntry
        {
            Id = "e", Scope = "office", Step = "digest", Audience = Audience.Office, To = Office.OfficeOnly,
            Content = new EmailContent("s", "t", "h"), CreatedAt = DateTimeOffset.UnixEpoch,
        };

        Assert.Equal("Chỉ ghi lại, chưa gửi: chưa cấu hình địa chỉ gửi thư đi.", OutboxNotes.Describe(entry with { State = OutboxState.Recorded, Note = OutboxNote.NoSender }));
        Assert.Equal("Chỉ ghi lại, chưa gửi: chưa cấu hình dịch vụ gửi thư.", OutboxNotes.Describe(entry with { State = OutboxState.Recorded, Note = OutboxNote.NoProvider }));
        Assert.StartsWith("Gửi lỗi: dịch vụ gửi thư từ chối thư này.", OutboxNotes.Describe(entry with { State = OutboxState.Failed, Note = OutboxNote.Rejected, Result = "rejected (400): The to array is invalid." }), StringComparison.Ordinal);
        Assert.Equal("Không gửi: đã quá hạn, thư nhắc trước hạn không còn phù hợp.", OutboxNotes.Describe(entry with { State = OutboxState.Skipped, Note = OutboxNote.Expired }));
    }
}
