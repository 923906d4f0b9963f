using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Reports;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>The follow-up report: who is on time, late, overdue or pending, whom to criticise or remind, and its wording.</summary>
public sealed class FollowUpReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 18, 9, 0, 0, TimeSpan.FromHours(7));

    private static UnitRecord R(int onTime = 0, int late = 0, int overdue = 0, int maxDays = 0, int pending = 0) =>
        new(onTime + late + overdue + pending, onTime, late, late * 2, overdue, overdue * maxDays, maxDays, pending);

    [Theory]
    [InlineData(2, 0, 0, 0, 0, FollowUpGroup.OnTime, FollowUpProposal.None)]
    [InlineData(1, 1, 0, 0, 0, FollowUpGroup.Late, FollowUpProposal.Remind)]
    [InlineData(1, 0, 1, 4, 0, FollowUpGroup.Overdue, FollowUpProposal.Remind)]
    [InlineData(1, 0, 1, 5, 0, FollowUpGroup.Overdue, FollowUpProposal.Criticise)]
    [InlineData(1, 0, 0, 0, 1, FollowUpGroup.Pending, FollowUpProposal.None)]
    [InlineData(0, 1, 0, 0, 1, FollowUpGroup.Pending, FollowUpProposal.Remind)]
    public void A_unit_is_criticised_when_a_task_is_overdue_for_the_threshold_and_reminded_when_anything_was_late(
        int onTime, int late, int overdue, int maxDays, int pending, FollowUpGroup group, FollowUpProposal proposal)
    {
        var unit = UnitFollowUp.Of(UnitId.Parse("chi-bo").Value, "Chi bộ", R(onTime, late, overdue, maxDays, pending), criticiseAfterDays: 5);

        Assert.Equal((group, proposal), (unit.Group, unit.Proposal));
    }

    [Fact]
    public void A_period_report_counts_only_units_with_tasks_lists_them_in_vietnamese_order_and_words_its_proposals()
    {
        UnitStanding S(string id, string name, UnitRecord r) =>
            new(UnitId.Parse(id).Value, Unit.Create(UnitId.Parse(id).Value, name, "4", null, id + "@example.invalid").Value, r);
        var directive = new Directive(DirectiveId.New(), "643-CV/ĐU", new DateOnly(2026, 2, 5), "Đảng ủy UBND tỉnh", "UBND tỉnh và dịch vụ công", [
            new DirectiveTask(TaskId.ForIndex(0), "Gửi danh sách", TaskKind.Confirmation, Deadline.EndOfDay(new DateOnly(2026, 2, 10)), []),
        ], Now.AddDays(-13));
        var units = new[]
        {
            S("d", "Đảng bộ Sở Tài chính", R(onTime: 1)),
            S("a", "Chi bộ Văn phòng", R(overdue: 1, maxDays: 8)),
            S("b", "Chi bộ Ấp Bắc", R(late: 1)),
            S("z", "Đảng ủy (không có nhiệm vụ)", UnitRecord.Empty),
        };

        var report = FollowUpReport.ForPeriod(new Period(new Month(2026, 2), new Month(2026, 2)), [directive], units, Now, 5, DayUnit.WorkingDays);

        Assert.Equal(["Chi bộ Ấp Bắc", "Chi bộ Văn phòng", "Đảng bộ Sở Tài chính"], report.Units.Select(u => u.Name));
        Assert.Equal(new ProgressRates("Tất cả", 3, 1, 1, 1, 0), report.Tasks);
        var text = report.Body.SelectMany(b => b switch
        {
            ReportParagraph p => [p.Text],
            ReportSubsection s => [s.Text],
            ReportList l => l.Items,
            _ => [],
        }).ToList();
        Assert.Contains("- Công văn số 643-CV/ĐU ngày 05/02/2026 của Đảng ủy UBND tỉnh về UBND tỉnh và dịch vụ công (hạn cuối 10/02/2026);".TrimStart('-', ' '), text);
        Assert.Contains("1. Phê bình 1 đơn vị có nhiệm vụ quá hạn từ 5 ngày làm việc trở lên mà chưa hoàn thành", text);
        Assert.Contains("Chi bộ Văn phòng (quá hạn 8 ngày làm việc);", text);
        Assert.Contains("Chi bộ Ấp Bắc (1 nhiệm vụ chậm, tổng 2 ngày làm việc);", text);
        Assert.Contains("Đảng bộ Sở Tài chính.", text);
        Assert.Equal(3, report.Body.OfType<ReportTable>().Single().Rows.Count);
    }

    [Fact]
    public void A_report_where_everyone_was_on_time_proposes_nobody()
    {
        var report = FollowUpReport.ForPeriod(new Period(new Month(2026, 2), new Month(2026, 2)), [], [new UnitStanding(UnitId.Parse("a").Value, null, R(onTime: 2))], Now, 5, DayUnit.CalendarDays);

        Assert.Contains(report.Body, b => b is ReportParagraph { Text: "Các đơn vị đều thực hiện đúng hạn; Văn phòng không đề xuất nhắc nhở, phê bình đơn vị nào." });
    }

    [Fact]
    public void The_heading_reads_its_date_number_and_lines_and_names_each_wrong_field()
    {
        var input = new ReportHeadingInput("", "Đảng ủy UBND tỉnh", "Văn phòng", "15-BC/VPĐU", "Thanh Hóa", "13/2/2026", "Thường trực Đảng ủy\n\nLưu Văn phòng", "T/L Ban Thường vụ", "");

        var heading = input.Validate().Value;
        var wrong = (input with { Committee = " ", Date = "2026-02-13", Recipients = string.Join('\n', Enumerable.Repeat("x", 11)) }).Validate();

        Assert.Equal("Số 15-BC/VPĐU", heading.NumberLine);
        Assert.Equal("Thanh Hóa, ngày 13 tháng 02 năm 2026", heading.PlaceAndDate);
        Assert.Equal(["Thường trực Đảng ủy", "Lưu Văn phòng"], heading.Recipients);
        Assert.Equal("Số        -BC/VPĐU", (heading with { Number = string.Empty }).NumberLine);
        Assert.Equal(["coquan", "ngay", "noinhan"], wrong.Error!.Fields.Select(f => f.Field).Order());
    }
}
