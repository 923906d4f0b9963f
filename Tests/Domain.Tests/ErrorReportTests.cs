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

    [Fact]
    public void Nothing_is_filed_without_the_reporters_consent_to_the_notice()
    {
        var refused = ErrorReportInput.Create("Nguyễn Văn A", "Chi bộ 1", "Ngày sinh", "", "12/03/1980", "0900000000", null);
        var unchecked_ = ErrorReportInput.Create("Nguyễn Văn A", "Chi bộ 1", "Ngày sinh", "", "12/03/1980", "0900000000", "false");

        Assert.Equal("consent-required", Assert.Single(refused.Error!.Fields).Code);
        Assert.False(unchecked_.IsSuccess);
        Assert.True(ErrorReportInput.Create("Nguyễn Văn A", "Chi bộ 1", "Ngày sinh", "", "12/03/1980", "0900000000", "true").IsSuccess);
        Assert.True(ErrorReportInput.Create("Nguyễn Văn A", "Chi bộ 1", "Ngày sinh", "", "12/03/1980", "0900000000", "on").IsSuccess);
    }

    [Fact]
    public void A_closed_report_is_due_for_anonymising_once_its_retention_has_run_from_its_closing_and_never_again()
    {
        var retention = TimeSpan.FromDays(180);
        var open = new ErrorReport(TrackingCode.New(), Input(), Morning, ErrorReportStatus.InProgress, "", Morning);
        var closed = open.MoveTo(ErrorReportStatus.Resolved, "Đã sửa ngày sinh thành 12/03/1980", Morning.AddDays(10)).Value;

        Assert.False(open.IsDueForAnonymisation(Morning.AddDays(400), retention));
        Assert.False(closed.IsDueForAnonymisation(Morning.AddDays(189), retention));
        Assert.True(closed.IsDueForAnonymisation(Morning.AddDays(190), retention));

        var anonymised = closed.Anonymise(Morning.AddDays(190), onRequest: false);
        Assert.False(anonymised.IsDueForAnonymisation(Morning.AddDays(500), retention));
        Assert.Equal(ErrorReport.Erased, anonymised.Input.MemberName);
        Assert.Equal(ErrorReport.Erased, anonymised.Input.Contact);
        Assert.Equal(ErrorReport.Erased, anonymised.Input.CorrectValue);
        Assert.Equal(ErrorReport.Erased, anonymised.ResolutionNote);
        Assert.Equal("Chi bộ 1", anonymised.Input.UnitName);
        Assert.Equal("Ngày sinh", anonymised.Input.Field);
        Assert.Equal(ErrorReportStatus.Resolved, anonymised.Status);
        Assert.Equal(closed.UpdatedAt, anonymised.UpdatedAt);
    }

    [Fact]
    public void Erasing_at_the_members_request_also_closes_an_open_report()
    {
        var open = new ErrorReport(TrackingCode.New(), Input(), Morning, ErrorReportStatus.New, "", Morning);

        var erased = open.Anonymise(Morning.AddDays(1), onRequest: true);

        Assert.Equal(ErrorReportStatus.Rejected, erased.Status);
        Assert.Equal(Morning.AddDays(1), erased.AnonymisedAt);
        Assert.Empty(erased.NextStatuses);
    }

    [Theory]
    [InlineData("nguyen van a", null, true)]
    [InlineData("  NGUYỄN   Văn A ", "0900 000 000", true)]
    [InlineData("Nguyễn Văn A", "+84900000000", true)]
    [InlineData("Nguyễn Văn A", "0900.000.000", true)]
    [InlineData("Nguyễn Văn A", "0911111111", false)]
    [InlineData("Nguyễn Văn B", null, false)]
    public void A_report_concerns_a_member_by_name_and_contact_as_people_write_them(string name, string? contact, bool concerns)
    {
        Assert.Equal(concerns, Input().Concerns(name, contact));
    }
}
