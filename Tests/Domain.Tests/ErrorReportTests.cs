using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.ErrorReports;

namespace ServerlessWorkflow.Tests.Domain;

public sealed class ErrorReportTests
{
    private static readonly DateTimeOffset Morning = new(2026, 2, 20, 8, 0, 0, TimeSpan.FromHours(7));

    private static ErrorReportInput Input(string correct = "12/03/1980") =>
        ErrorReportInput.Create("Nguyễn Văn A", "Chi bộ 1", "Ngày sinh", "12/03/1908", correct, "0900000000", "yes").Value;

    [Fact]
    public void Tracking_codes_are_eight_unambiguous_characters_and_typed_back_in_any_case()
    {
        var code = TrackingCode.New();

        Assert.Matches("^[A-HJ-NP-Z2-9]{8}$", code.Value);
        Assert.Equal(code, TrackingCode.Parse(" " + code.Value.ToLowerInvariant() + " ").Value);
        Assert.False(TrackingCode.Parse("O0I1L000").IsSuccess);
    }

    [Fact]
    public void Exact_duplicates_on_the_same_Vietnam_day_share_a_fold_key_and_differ_otherwise()
    {
        Assert.Equal(Input().FoldKey(Morning), Input().FoldKey(Morning.AddHours(15).AddMinutes(59)));
        Assert.NotEqual(Input().FoldKey(Morning), Input().FoldKey(Morning.AddHours(16)));
        Assert.NotEqual(Input().FoldKey(Morning), Input("13/03/1980").FoldKey(Morning));
    }

    [Fact]
    public void Required_fields_missing_are_all_reported()
    {
        var result = ErrorReportInput.Create("", "", "", "", "", "", null);

        Assert.Equal(["consent", "memberName", "unitName", "field", "correctValue", "contact"], result.Error!.Fields.Select(f => f.Field));
    }

    [Fact]
    public void A_report_moves_new_then_in_progress_then_resolved_and_no_other_way()
    {
        var report = new ErrorReport(TrackingCode.New(), Input(), Morning, ErrorReportStatus.New, "", Morning);

        var inProgress = report.MoveTo(ErrorReportStatus.InProgress, null, Morning.AddHours(1)).Value;
        var resolved = inProgress.MoveTo(ErrorReportStatus.Resolved, "Đã sửa trên CSDL 4.0", Morning.AddHours(2)).Value;

        Assert.Equal(ErrorReportStatus.Resolved, resolved.Status);
        Assert.Equal("Đã sửa trên CSDL 4.0", resolved.ResolutionNote);
        Assert.Equal(ErrorKind.Conflict, report.MoveTo(ErrorReportStatus.Resolved, "x", Morning).Error!.Kind);
        Assert.Equal(ErrorKind.Conflict, resolved.MoveTo(ErrorReportStatus.InProgress, null, Morning).Error!.Kind);
    }

    [Fact]
    public void Rejecting_needs_a_reason()
    {
        var report = new ErrorReport(TrackingCode.New(), Input(), Morning, ErrorReportStatus.New, "", Morning);

        Assert.Equal("required", report.MoveTo(ErrorReportStatus.Rejected, " ", Morning).Error!.Fields[0].Code);
        Assert.True(report.MoveTo(ErrorReportStatus.Rejected, "Không thuộc đảng bộ", Morning).IsSuccess);
    }
}
