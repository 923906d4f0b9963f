using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Reports;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.Reports;

/// <summary>
/// The follow-up report for the standing committee (<see cref="FollowUpReport"/>), for one directive —
/// <c>GET /office/directives/{id}/report</c> (OfficeDirectiveReport) and <c>…/report.docx</c>
/// (DirectiveReportDocument) — or for the tasks due in a period of months — <c>GET /office/reports</c>
/// (OfficeReport) and <c>/office/reports/report.docx</c> (PeriodReportDocument). The page shows the
/// document as it prints (a print style sheet leaves only the document) with a form for its heading
/// (<see cref="ReportForm"/>); the .docx is the same document in Word. Office only.
/// </summary>
public static class ReportPages
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSettings<ReportOptions>(ReportOptions.Section, ReportOptions.Validate);
        return services;
    }

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var directive = app.MapGroup("/office/directives/{id}").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc);
        directive.MapGet("/report", DirectivePageAsync).WithName("OfficeDirectiveReport").AsPage();
        directive.MapGet("/report.docx", DirectiveDocumentAsync).WithName("DirectiveReportDocument").ExcludeFromDescription();
        var period = app.MapGroup("/office/reports").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc);
        period.MapGet("/", PeriodPageAsync).WithName("OfficeReport").AsPage();
        period.MapGet("/report.docx", PeriodDocumentAsync).WithName("PeriodReportDocument").ExcludeFromDescription();
        return app;
    }

    private static async Task<RazorComponentResult> DirectivePageAsync(
        string id, HttpRequest request, OfficeDesk desk, UnitRegistry units, EscalationPolicy policy, IOptions<ReportOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var report = await DirectiveReportAsync(id, desk, units, policy, time, cancellationToken);
        if (report is null)
        {
            return NotFound();
        }

        var form = ReportForm.Read(request.Query, options.Value, report.Directives[0].Issuer, time.GetUtcNow());
        return Page(report, form, $"/office/directives/{id}/report", new Link($"/office/directives/{id}", $"Công văn số {report.Directives[0].Number}"), null, []);
    }

    private static async Task<Results<FileContentHttpResult, RazorComponentResult>> DirectiveDocumentAsync(
        string id, HttpRequest request, HttpResponse response, OfficeDesk desk, UnitRegistry units, EscalationPolicy policy, IOptions<ReportOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var report = await DirectiveReportAsync(id, desk, units, policy, time, cancellationToken);
        if (report is null)
        {
            return NotFound();
        }

        var heading = ReportForm.Read(request.Query, options.Value, report.Directives[0].Issuer, time.GetUtcNow()).Validate();
        return heading.IsSuccess
            ? Downloads.Bytes(response, ReportDocument.Write(report, heading.Value), Downloads.WordDocument, Downloads.Name("bao-cao", report.Directives[0].Number, ".docx"))
            : Refused(heading.Error!);
    }

    private static async Task<RazorComponentResult> PeriodPageAsync(
        string? tu, string? den, HttpRequest request, OfficeDesk desk, IDirectiveStore directives, UnitRegistry units, EscalationPolicy policy, IOptions<ReportOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var choice = Period.Choose(tu, den, now);
        var (report, headers, committee) = await PeriodReportAsync(choice.Period, desk, directives, units, policy, now, cancellationToken);
        var form = ReportForm.Read(request.Query, options.Value, committee, now);
        return Page(report, form, "/office/reports", new Link($"/office/units?{choice.Query}", "Kết quả của các đơn vị"), choice, Period.Choices(headers, now));
    }

    private static async Task<Results<FileContentHttpResult, RazorComponentResult>> PeriodDocumentAsync(
        string? tu, string? den, HttpRequest request, HttpResponse response, OfficeDesk desk, IDirectiveStore directives, UnitRegistry units, EscalationPolicy policy,
        IOptions<ReportOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var period = Period.Parse(tu, den, now);
        if (!period.IsSuccess)
        {
            return Refused(period.Error!);
        }

        var (report, _, committee) = await PeriodReportAsync(period.Value, desk, directives, units, policy, now, cancellationToken);
        var heading = ReportForm.Read(request.Query, options.Value, committee, now).Validate();
        return heading.IsSuccess
            ? Downloads.Bytes(response, ReportDocument.Write(report, heading.Value), Downloads.WordDocument, Downloads.Name("bao-cao", $"{period.Value.From.Key}-{period.Value.To.Key}", ".docx"))
            : Refused(heading.Error!);
    }

    private static async Task<FollowUpReport?> DirectiveReportAsync(string id, OfficeDesk desk, UnitRegistry units, EscalationPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var view = await desk.ViewAsync(id, await units.CurrentTreeAsync(cancellationToken), cancellationToken);
        return view.IsSuccess ? FollowUpReport.ForDirective(view.Value, time.GetUtcNow(), policy.Step3DaysOverdue) : null;
    }

    /// <summary>The period's report, the directives' headers (for the months to choose from), and the committee the heading names by default: the top unit of the tree.</summary>
    private static async Task<(FollowUpReport Report, IReadOnlyList<Directive> Headers, string Committee)> PeriodReportAsync(
        Period period, OfficeDesk desk, IDirectiveStore directives, UnitRegistry units, EscalationPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var headers = directives.ListAsync(cancellationToken);
        var tree = await units.CurrentTreeAsync(cancellationToken);
        var records = await desk.UnitsAsync(period, tree, cancellationToken);
        var tops = tree.All.Where(u => u.ParentId is null).ToList();
        var report = FollowUpReport.ForPeriod(period, await headers, records, now, policy.Step3DaysOverdue, desk.CountDaysIn);
        return (report, await headers, tops.Count == 1 ? tops[0].Name : "Đảng ủy");
    }

    private static RazorComponentResult Page(FollowUpReport report, ReportHeadingInput form, string action, Link back, PeriodChoice? choice, IReadOnlyList<Month> months)
    {
        var heading = form.Validate();
        return PageResults.Render<ReportPage, ReportPageModel>(
            new ReportPageModel(report, form, heading.IsSuccess ? heading.Value : null, choice?.Error ?? heading.Error, action, back, choice, months),
            heading.IsSuccess && choice?.Error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static RazorComponentResult Refused(Error error) =>
        PageResults.Render<MessagePage, Message>(
            new Message("Chưa tải được báo cáo", string.Join(" ", error.Fields.Select(f => $"{ReportForm.FieldName(f.Field)}: {f.Message}")), new Link("/office/reports", "Về trang báo cáo"), Office: true),
            StatusCodes.Status400BadRequest);

    private static RazorComponentResult NotFound() =>
        PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy công văn"), StatusCodes.Status404NotFound);
}

/// <summary>
/// The report's page: the report, the heading's form as typed, the heading when the form is right
/// (else the document shows without it and the problems are listed), where the form and the .docx
/// go, the way back, and for a period report the months as chosen and to choose from.
/// </summary>
public sealed record ReportPageModel(
    FollowUpReport Report, ReportHeadingInput Form, ReportHeading? Heading, Error? Error, string Action, Link Back, PeriodChoice? Choice, IReadOnlyList<Month> Months)
{
    public string DocumentUrl => $"{Action.TrimEnd('/')}{(Action == "/office/reports" ? "/report" : string.Empty)}.docx?{(Choice is { } c ? c.Query + "&" : string.Empty)}{ReportForm.Query(Form)}";
}
