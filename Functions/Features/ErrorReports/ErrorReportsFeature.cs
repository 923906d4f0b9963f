using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Functions.Hosting.Security;
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
/// <see cref="OfficeErrorReports"/>.
/// </summary>
public static class ErrorReportsFeature
{
    public const long MaxReportBody = 16 * 1024;
    public const string LookupSegment = "tra-cuu";

    public static IServiceCollection AddErrorReports(this IServiceCollection services) =>
        services.AddTable(TableErrorReportStore.TableName)
            .AddSingleton<IErrorReportStore, TableErrorReportStore>()
            .AddSingleton<ErrorReportDesk>();

    public static IEndpointRouteBuilder MapErrorReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/bao-sai-sot", () => FormPage(null, null, StatusCodes.Status200OK)).WithName("ErrorReportForm").AsPage(byDefault: true);

        var reports = app.MapGroup("/api/error-reports").WithTags("Error reports");
        reports.MapPost("/", FileAsync).WithName("FileErrorReport").WithBody<FileErrorReportRequest>(MaxReportBody).ProducesValidationProblem();
        reports.MapPost("/", FileFromPageAsync).WithName("FileErrorReportPage").WithFormBody<FileErrorReportRequest>(MaxReportBody).AsPage();
        reports.MapGet("/{code}", GetAsync).WithName("GetErrorReport").ProducesProblem(StatusCodes.Status404NotFound);
        reports.MapGet("/{code}", ShowAsync).WithName("GetErrorReportPage").AsPage();

        reports.MapGet("/", ListAsync).WithName("ListErrorReports").RequireAuthorization(OfficeAuthentication.Policy).ProducesValidationProblem();
        reports.MapPost("/{code}/status", MoveAsync).WithName("MoveErrorReport").RequireAuthorization(OfficeAuthentication.Policy).WithBody<MoveErrorReportRequest>(MaxReportBody)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Created<ErrorReportFiled>, Ok<ErrorReportFiled>, ApiProblem>> FileAsync(
        Body<FileErrorReportRequest> body, ErrorReportDesk desk, CancellationToken cancellationToken)
    {
        var input = body.Value.Validate();
        if (!input.IsSuccess)
        {
            return Problems.For(input.Error!);
        }

        var (report, isNew) = await desk.FileAsync(input.Value, cancellationToken);
        var filed = new ErrorReportFiled(report.Code.Value, report.Status, Folded: !isNew);
        return isNew ? TypedResults.Created($"/api/error-reports/{report.Code}", filed) : TypedResults.Ok(filed);
    }

    /// <summary>The public form's post: the report's page (post/redirect/get), or the form again with every problem and what was typed.</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> FileFromPageAsync(
        Body<FileErrorReportRequest> body, ErrorReportDesk desk, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            return FormPage(null, refused.AsError(), refused.Status);
        }

        var input = body.Value.Validate();
        if (!input.IsSuccess)
        {
            return FormPage(body.Value, input.Error, StatusCodes.Status400BadRequest);
        }

        var (report, _) = await desk.FileAsync(input.Value, cancellationToken);
        return new SeeOther($"/api/error-reports/{report.Code}?moi=1");
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

    private static async Task<Results<Ok<List<OfficeErrorReport>>, ApiProblem>> ListAsync(string? status, ErrorReportDesk desk, CancellationToken cancellationToken)
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

        return TypedResults.Ok((await desk.ListAsync(filter, cancellationToken)).Select(OfficeErrorReport.Of).ToList());
    }

    private static async Task<Results<Ok<OfficeErrorReport>, ApiProblem>> MoveAsync(
        string code, Body<MoveErrorReportRequest> body, ErrorReportDesk desk, CancellationToken cancellationToken)
    {
        var moved = await desk.MoveAsync(code, body.Value.Status, body.Value.Note, cancellationToken);
        return moved.IsSuccess ? TypedResults.Ok(OfficeErrorReport.Of(moved.Value)) : Problems.For(moved.Error!);
    }

    /// <summary>The code of the address, or — from the lookup form, <c>/api/error-reports/tra-cuu?code=</c> — of the query.</summary>
    private static string Lookup(string code, HttpRequest request) => code == LookupSegment ? request.Query["code"].ToString() : code;

    private static RazorComponentResult FormPage(FileErrorReportRequest? typed, Domain.Common.Error? error, int status) =>
        PageResults.Render<ErrorReportFormPage, ErrorReportFormModel>(new(typed, error), status);
}
