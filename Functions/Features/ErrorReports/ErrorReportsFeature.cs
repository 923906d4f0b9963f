using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.ErrorReports;

/// <summary>
/// Data-error reports: the public form <c>GET /bao-sai-sot</c> (ErrorReportForm); filing
/// <c>POST /api/error-reports</c> (FileErrorReport: JSON or form, 201 <c>{"code"}</c>, or 200 with the
/// existing code when an exact duplicate was filed the same day — and for the form, the report's
/// page); the reporter's status <c>GET /api/error-reports/{code}</c> (GetErrorReport; a page for
/// browsers); the office's <c>GET /api/error-reports?status=</c> (ListErrorReports) and
/// <c>POST /api/error-reports/{code}/status</c> (MoveErrorReport). The office's queue page is
/// <see cref="OfficeErrorReports"/>, one member's data on request <see cref="MemberDataPages"/>, and the
/// retention timer <see cref="ApplyRetentionFunction"/>.
/// <para>
/// Members' data (Decree 13/2023/NĐ-CP, Law 91/2025/QH15): the form states the purpose, who sees the
/// data and how long it is kept, and nothing is stored without the reporter's consent; filing is
/// rate-limited per client. Only the Party Building Board (ban xây dựng đảng) sees members' details,
/// and every time it does — the list, the queue page, an export — the audit trail records who saw
/// which reports (by code: the trail holds no member's data).
/// </para>
/// </summary>
public static class ErrorReportsFeature
{
    public const long MaxReportBody = 16 * 1024;
    public const string LookupSegment = "tra-cuu";

    public static IServiceCollection AddErrorReports(this IServiceCollection services)
    {
        services.AddSettings<ErrorReportOptions>(ErrorReportOptions.Section, ErrorReportOptions.Validate);
        return services.AddTable(TableErrorReportStore.TableName)
            .AddSingleton<IErrorReportStore, TableErrorReportStore>()
            .AddSingleton<ErrorReportDesk>()
            .AddScoped<ApplyRetentionFunction>();
    }

    public static IEndpointRouteBuilder MapErrorReports(this IEndpointRouteBuilder app)
    {
        app.MapTimerTrigger<ApplyRetentionFunction>(ApplyRetentionFunction.FunctionName, ApplyRetentionFunction.BindingName);
        app.MapGet("/bao-sai-sot", (IOptions<ErrorReportOptions> options) => FormPage(null, null, options.Value, StatusCodes.Status200OK))
            .WithName("ErrorReportForm").AsPublic().AsPage(byDefault: true);

        var reports = app.MapGroup("/api/error-reports").WithTags("Error reports");
        reports.MapPost("/", FileAsync).WithName("FileErrorReport").AsPublic().RequireRateLimiting(RateLimits.ErrorReports)
            .WithBody<FileErrorReportRequest>(MaxReportBody).ProducesValidationProblem().ProducesProblem(StatusCodes.Status429TooManyRequests);
        reports.MapPost("/", FileFromPageAsync).WithName("FileErrorReportPage").AsPublic().RequireRateLimiting(RateLimits.ErrorReports)
            .WithFormBody<FileErrorReportRequest>(MaxReportBody).AsPage();
        reports.MapGet("/{code}", GetAsync).WithName("GetErrorReport").AsPublic().ProducesProblem(StatusCodes.Status404NotFound);
        reports.MapGet("/{code}", ShowAsync).WithName("GetErrorReportPage").AsPublic().AsPage();

        reports.MapGet("/", ListAsync).WithName("ListErrorReports").RequireOfficeRole(OfficeRole.BanXayDungDang).ProducesValidationProblem();
        reports.MapPost("/{code}/status", MoveAsync).WithName("MoveErrorReport").RequireOfficeRole(OfficeRole.BanXayDungDang).WithBody<MoveErrorReportRequest>(MaxReportBody)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Created<ErrorReportFiled>, Ok<ErrorReportFiled>, ApiProblem>> FileAsync(
        Body<FileErrorReportRequest> body, ErrorReportDesk desk, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var input = body.Value.Validate();
        if (!input.IsSuccess)
        {
            return Problems.For(input.Error!);
        }

        var (report, isNew) = await FileAndRecordAsync(input.Value, desk, audit, cancellationToken);
        var filed = new ErrorReportFiled(report.Code.Value, report.Status, Folded: !isNew);
        return isNew ? TypedResults.Created($"/api/error-reports/{report.Code}", filed) : TypedResults.Ok(filed);
    }

    /// <summary>The public form's post: the report's page (post/redirect/get), or the form again with every problem and what was typed.</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> FileFromPageAsync(
        Body<FileErrorReportRequest> body, ErrorReportDesk desk, OfficeAudit audit, IOptions<ErrorReportOptions> options, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            return FormPage(null, refused.AsError(), options.Value, refused.Status);
        }

        var input = body.Value.Validate();
        if (!input.IsSuccess)
        {
            return FormPage(body.Value, input.Error, options.Value, StatusCodes.Status400BadRequest);
        }

        var (report, _) = await FileAndRecordAsync(input.Value, desk, audit, cancellationToken);
        return new SeeOther($"/api/error-reports/{report.Code}?moi=1");
    }

    /// <summary>Files the report; a new one is in the audit trail by its code (never the member's details).</summary>
    private static async Task<(ErrorReport Report, bool IsNew)> FileAndRecordAsync(ErrorReportInput input, ErrorReportDesk desk, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var (report, isNew) = await desk.FileAsync(input, cancellationToken);
        if (isNew)
        {
            await audit.RecordAsync(AuditActor.Public, AuditAction.ErrorReportFiled, cancellationToken, subject: report.Code.Value,
                summary: $"Có đồng ý của người gửi (bản thông báo số {ErrorReportConsent.NoticeVersion}).");
        }

        return (report, isNew);
    }

    private static async Task<Results<Ok<ErrorReportProgress>, ApiProblem>> GetAsync(string code, HttpRequest request, ErrorReportDesk desk, CancellationToken cancellationToken)
    {
        var report = await desk.FindAsync(Lookup(code, request), cancellationToken);
        return report.IsSuccess ? TypedResults.Ok(ErrorReportProgress.Of(report.Value)) : Problems.For(report.Error!);
    }

    private static async Task<RazorComponentResult> ShowAsync(
        string code, string? moi, HttpRequest request, ErrorReportDesk desk, CancellationToken cancellationToken)
    {
        var report = await desk.FindAsync(Lookup(code, request), cancellationToken);
        return report.IsSuccess
            ? PageResults.Render<ErrorReportStatusPage, ErrorReportStatusModel>(new(report.Value, JustFiled: moi == "1"))
            : PageResults.Render<MessagePage, Message>(
                new Message("Không tìm thấy phản ánh", "Không có phản ánh nào với mã này. Xin kiểm tra lại mã theo dõi.", new Link("/bao-sai-sot", "Quay lại")),
                StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<List<OfficeErrorReport>>, ApiProblem>> ListAsync(
        string? status, ClaimsPrincipal user, ErrorReportDesk desk, OfficeAudit audit, CancellationToken cancellationToken)
    {
        ErrorReportStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            var parsed = ErrorReportStatuses.Parse(status);
            if (!parsed.IsSuccess)
            {
                return Problems.For(parsed.Error!);
            }

            filter = parsed.Value;
        }

        var reports = (await desk.ListAsync(filter, cancellationToken)).Select(OfficeErrorReport.Of).ToList();
        await RecordViewAsync(audit, user, reports.Select(r => r.Code), cancellationToken);
        return TypedResults.Ok(reports);
    }

    /// <summary>Who saw which reports' member details (by code).</summary>
    internal static Task RecordViewAsync(OfficeAudit audit, ClaimsPrincipal user, IEnumerable<string> codes, CancellationToken cancellationToken)
    {
        var shown = codes.ToList();
        return shown.Count == 0
            ? Task.CompletedTask
            : audit.RecordAsync(user, AuditAction.MemberDataViewed, cancellationToken, summary: $"{shown.Count} phản ánh: {string.Join(", ", shown)}");
    }

    /// <summary>A report moved along its workflow, in the audit trail: its status before and after, and whether a note was written (not the note: it may name the member).</summary>
    internal static Task RecordMoveAsync(OfficeAudit audit, ClaimsPrincipal user, ErrorReport before, ErrorReport after, CancellationToken cancellationToken) =>
        audit.RecordAsync(user, AuditAction.ErrorReportMoved, cancellationToken, subject: after.Code.Value, changes:
        [
            new AuditChange("Tình trạng", ErrorReportStatuses.Name(before.Status), ErrorReportStatuses.Name(after.Status)),
            .. after.ResolutionNote != before.ResolutionNote ? [new AuditChange("Ghi chú xử lý", before.ResolutionNote.Length > 0 ? "có" : "không", "đã ghi mới")] : Array.Empty<AuditChange>(),
        ]);

    private static async Task<Results<Ok<OfficeErrorReport>, ApiProblem>> MoveAsync(
        string code, Body<MoveErrorReportRequest> body, ClaimsPrincipal user, ErrorReportDesk desk, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var before = await desk.FindAsync(code, cancellationToken);
        var moved = await desk.MoveAsync(code, body.Value.Status, body.Value.Note, cancellationToken);
        if (!moved.IsSuccess)
        {
            return Problems.For(moved.Error!);
        }

        await RecordMoveAsync(audit, user, before.Value, moved.Value, cancellationToken);
        return TypedResults.Ok(OfficeErrorReport.Of(moved.Value));
    }

    /// <summary>The code of the address, or — from the lookup form, <c>/api/error-reports/tra-cuu?code=</c> — of the query.</summary>
    private static string Lookup(string code, HttpRequest request) => code == LookupSegment ? request.Query["code"].ToString() : code;

    private static RazorComponentResult FormPage(FileErrorReportRequest? typed, Domain.Common.Error? error, ErrorReportOptions options, int status) =>
        PageResults.Render<ErrorReportFormPage, ErrorReportFormModel>(new(typed, error, options.RetentionDays), status);
}

/// <summary>Section <c>ErrorReports</c>: how many days a closed report keeps the member's details before the retention timer anonymises it.</summary>
public sealed class ErrorReportOptions
{
    public const string Section = "ErrorReports";

    public int RetentionDays { get; set; } = 180;

    public TimeSpan Retention => TimeSpan.FromDays(RetentionDays);

    public static void Validate(ErrorReportOptions o, SettingsCheck check) =>
        check.That(o.RetentionDays is >= 1 and <= 3650, nameof(RetentionDays), $"must be from 1 to 3650 days (is {o.RetentionDays}).");
}
