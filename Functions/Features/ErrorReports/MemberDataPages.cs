using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.ErrorReports;

/// <summary>
/// One member's data on the member's request (the Party Building Board's, ban xây dựng đảng):
/// <c>GET/POST /office/member-data</c> (OfficeMemberData: find every report about a member by name and,
/// to tell namesakes apart, contact; download it all as a file; erase it) and, for programs,
/// <c>POST /api/member-data/export</c> (ExportMemberData) and <c>POST /api/member-data/erase</c>
/// (EraseMemberData). The member's name travels in a form's body, never in an address (addresses
/// are logged). Each search, export and erasure is in the audit trail by the reports' codes.
/// </summary>
public static class MemberDataPages
{
    public const string SearchAction = "search";
    public const string ExportAction = "export";
    public const string EraseAction = "erase";
    private const long MaxBody = 16 * 1024;

    public static IEndpointRouteBuilder MapMemberData(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office/member-data").RequireOfficeRole(OfficeRole.BanXayDungDang);
        office.MapGet("/", () => Page(new MemberDataModel(null, null, null, null), StatusCodes.Status200OK)).WithName("OfficeMemberData").AsPage();
        office.MapPost("/", PostAsync).WithName("OfficeMemberDataPost").WithFormBody<MemberDataRequest>(MaxBody).AsPage();

        var api = app.MapGroup("/api/member-data").WithTags("Error reports").RequireOfficeRole(OfficeRole.BanXayDungDang);
        api.MapPost("/export", ExportAsync).WithName("ExportMemberData").WithBody<MemberDataRequest>(MaxBody).ProducesValidationProblem();
        api.MapPost("/erase", EraseAsync).WithName("EraseMemberData").WithBody<MemberDataRequest>(MaxBody).ProducesValidationProblem();
        return app;
    }

    private static async Task<Results<FileContentHttpResult, RazorComponentResult>> PostAsync(
        Body<MemberDataRequest> body, ClaimsPrincipal user, ErrorReportDesk desk, OfficeAudit audit, TimeProvider time,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            return Page(new MemberDataModel(null, null, null, refused.AsError()), refused.Status);
        }

        var request = body.Value;
        var action = request.Action ?? SearchAction;
        if (action == EraseAction)
        {
            if (!ErrorReportConsent.Given(request.Confirm))
            {
                var pending = await desk.FindMemberAsync(request.MemberName, request.Contact, cancellationToken);
                return Page(new MemberDataModel(request, pending.IsSuccess ? pending.Value : null, null, Error.Validation("confirm", "required", "Hãy đánh dấu xác nhận trước khi xóa.")), StatusCodes.Status400BadRequest);
            }

            var erased = await EraseAndRecordAsync(request, user, desk, audit, cancellationToken);
            return erased.IsSuccess
                ? Page(new MemberDataModel(null, null, $"Đã xóa thông tin cá nhân trong {erased.Value.Count} phản ánh: {string.Join(", ", erased.Value.Select(r => r.Code.Value))}.", null), StatusCodes.Status200OK)
                : Page(new MemberDataModel(request, null, null, erased.Error), StatusCodes.Status400BadRequest);
        }

        var found = await desk.FindMemberAsync(request.MemberName, request.Contact, cancellationToken);
        if (!found.IsSuccess)
        {
            return Page(new MemberDataModel(request, null, null, found.Error), StatusCodes.Status400BadRequest);
        }

        if (action == ExportAction)
        {
            var export = await ExportAndRecordAsync(request, found.Value, user, audit, time, cancellationToken);
            return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(export, json.Value.SerializerOptions), "application/json", "du-lieu-dang-vien.json");
        }

        await ErrorReportsFeature.RecordViewAsync(audit, user, found.Value.Select(r => r.Code.Value), cancellationToken);
        return Page(new MemberDataModel(request, found.Value, null, null), StatusCodes.Status200OK);
    }

    private static async Task<Results<Ok<MemberDataExport>, ApiProblem>> ExportAsync(
        Body<MemberDataRequest> body, ClaimsPrincipal user, ErrorReportDesk desk, OfficeAudit audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = await desk.FindMemberAsync(body.Value.MemberName, body.Value.Contact, cancellationToken);
        return found.IsSuccess
            ? TypedResults.Ok(await ExportAndRecordAsync(body.Value, found.Value, user, audit, time, cancellationToken))
            : Problems.For(found.Error!);
    }

    private static async Task<Results<Ok<MemberDataErased>, ApiProblem>> EraseAsync(
        Body<MemberDataRequest> body, ClaimsPrincipal user, ErrorReportDesk desk, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var erased = await EraseAndRecordAsync(body.Value, user, desk, audit, cancellationToken);
        return erased.IsSuccess ? TypedResults.Ok(new MemberDataErased(erased.Value.Select(r => r.Code.Value).ToList())) : Problems.For(erased.Error!);
    }

    private static async Task<MemberDataExport> ExportAndRecordAsync(
        MemberDataRequest request, IReadOnlyList<ErrorReport> found, ClaimsPrincipal user, OfficeAudit audit, TimeProvider time, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(user, AuditAction.MemberDataExported, cancellationToken,
            summary: found.Count == 0 ? "Không có phản ánh nào." : $"{found.Count} phản ánh: {string.Join(", ", found.Select(r => r.Code.Value))}");
        return new MemberDataExport(time.GetUtcNow(), request.MemberName?.Trim() ?? string.Empty, found.Select(OfficeErrorReport.Of).ToList());
    }

    private static async Task<Result<IReadOnlyList<ErrorReport>>> EraseAndRecordAsync(
        MemberDataRequest request, ClaimsPrincipal user, ErrorReportDesk desk, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var erased = await desk.EraseMemberAsync(request.MemberName, request.Contact, cancellationToken);
        if (erased.IsSuccess)
        {
            await audit.RecordAsync(user, AuditAction.MemberDataErased, cancellationToken,
                summary: erased.Value.Count == 0 ? "Không có phản ánh nào." : $"{erased.Value.Count} phản ánh: {string.Join(", ", erased.Value.Select(r => r.Code.Value))}");
        }

        return erased;
    }

    private static RazorComponentResult Page(MemberDataModel model, int status) => PageResults.Render<MemberDataPage, MemberDataModel>(model, status);
}

/// <summary>The member-data page: what was typed, the reports found, what was done, or the problem.</summary>
public sealed record MemberDataModel(MemberDataRequest? Typed, IReadOnlyList<ErrorReport>? Found, string? Done, Error? Error)
{
    public const string Title = "Dữ liệu của một đảng viên";

    public static string FieldName(string field) => field switch
    {
        "memberName" => "Họ và tên đảng viên",
        "contact" => "Số điện thoại hoặc email",
        "confirm" => "Xác nhận",
        _ => "Thông tin",
    };
}
