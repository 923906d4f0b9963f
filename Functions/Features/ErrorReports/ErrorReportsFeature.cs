using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Functions.Hosting.Http;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Pages;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.ErrorReports;

/// <summary>
/// Data-error reports: the public form <c>GET /bao-sai-sot</c> (ErrorReportForm); filing
/// <c>POST /api/error-reports</c> (FileErrorReport: form or JSON; 201 <c>{"code"}</c>, or 200 with the
/// existing code when an exact duplicate was filed the same day); the reporter's status
/// <c>GET /api/error-reports/{code}</c> (GetErrorReport); the office's queue
/// <c>GET /api/error-reports?status=</c> (ListErrorReports) and
/// <c>POST /api/error-reports/{code}/status</c> (MoveErrorReport).
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
        app.MapGet("/bao-sai-sot", () => PageLayout.Page(ErrorReportPages.Title, ErrorReportPages.Form(null, null)))
            .WithName("ErrorReportForm").ExcludeFromDescription();
        var reports = app.MapGroup("/api/error-reports").WithTags("Error reports");
        reports.MapPost("/", FileAsync).WithName("FileErrorReport").DisableAntiforgery();
        reports.MapGet("/{code}", GetAsync).WithName("GetErrorReport");
        reports.MapGet("/", ListAsync).WithName("ListErrorReports").RequireAuthorization(OfficeAuthentication.Policy);
        reports.MapPost("/{code}/status", MoveAsync).WithName("MoveErrorReport").RequireAuthorization(OfficeAuthentication.Policy).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> FileAsync(HttpRequest request, ErrorReportDesk desk, CancellationToken cancellationToken)
    {
        var html = SubmittedForm.WantsHtml(request);
        var read = await SubmittedForm.ReadAsync(request, MaxReportBody, cancellationToken);
        if (!read.Succeeded)
        {
            return Problems.For(read);
        }

        var f = read.Form!;
        var input = ErrorReportInput.Create(f["memberName"], f["unitName"], f["field"], f["currentValue"], f["correctValue"], f["contact"]);
        if (!input.IsSuccess)
        {
            return html
                ? PageLayout.Page(ErrorReportPages.Title, ErrorReportPages.Form(f.Fields, input.Error), StatusCodes.Status400BadRequest)
                : Problems.For(input.Error!);
        }

        var (report, isNew) = await desk.FileAsync(input.Value, cancellationToken);
        if (html)
        {
            return new SeeOther($"/api/error-reports/{report.Code}?moi=1");
        }

        var body = new { code = report.Code.Value, status = ErrorReportStatuses.Wire(report.Status), folded = !isNew };
        return isNew ? TypedResults.Created($"/api/error-reports/{report.Code}", body) : TypedResults.Ok(body);
    }

    private static async Task<IResult> GetAsync(string code, string? moi, HttpRequest request, ErrorReportDesk desk, CancellationToken cancellationToken)
    {
        var html = SubmittedForm.Accepts(request, "text/html");
        var lookup = code == LookupSegment ? request.Query["code"].ToString() : code;
        var report = await desk.FindAsync(lookup, cancellationToken);
        if (!report.IsSuccess)
        {
            return html
                ? PageLayout.Page(ErrorReportPages.Title, Html.Of($"<section><h1>Không tìm thấy phản ánh</h1><p>Không có phản ánh nào với mã này. Xin kiểm tra lại mã theo dõi.</p><p><a href=\"/bao-sai-sot\">Quay lại</a></p></section>"), StatusCodes.Status404NotFound)
                : Problems.For(report.Error!);
        }

        if (html)
        {
            return PageLayout.Page(ErrorReportPages.Title, ErrorReportPages.Status(report.Value, moi == "1"));
        }

        // The reporter's view: the report's progress, not the member's personal data.
        var r = report.Value;
        return TypedResults.Ok(new
        {
            code = r.Code.Value,
            field = r.Input.Field,
            status = ErrorReportStatuses.Wire(r.Status),
            statusName = ErrorReportStatuses.Name(r.Status),
            filedAt = r.FiledAt,
            updatedAt = r.UpdatedAt,
            note = r.ResolutionNote,
        });
    }

    private static async Task<IResult> ListAsync(string? status, ErrorReportDesk desk, CancellationToken cancellationToken)
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

        return TypedResults.Ok((await desk.ListAsync(filter, cancellationToken)).Select(ToOfficeJson));
    }

    private static async Task<IResult> MoveAsync(string code, HttpRequest request, ErrorReportDesk desk, CancellationToken cancellationToken)
    {
        var read = await SubmittedForm.ReadAsync(request, MaxReportBody, cancellationToken);
        if (!read.Succeeded)
        {
            return Problems.For(read);
        }

        var moved = await desk.MoveAsync(code, read.Form!["status"], read.Form["note"], cancellationToken);
        return moved.Match(r => TypedResults.Ok(ToOfficeJson(r)), Problems.For);
    }

    private static object ToOfficeJson(ErrorReport r) => new
    {
        code = r.Code.Value,
        memberName = r.Input.MemberName,
        unitName = r.Input.UnitName,
        field = r.Input.Field,
        currentValue = r.Input.CurrentValue,
        correctValue = r.Input.CorrectValue,
        contact = r.Input.Contact,
        status = ErrorReportStatuses.Wire(r.Status),
        note = r.ResolutionNote,
        filedAt = r.FiledAt,
        updatedAt = r.UpdatedAt,
    };
}
