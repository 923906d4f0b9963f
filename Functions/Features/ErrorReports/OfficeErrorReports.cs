using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.ErrorReports;

/// <summary>
/// The office's queue of data-error reports: <c>GET /office/error-reports?status=</c>
/// (OfficeErrorReports: newest first, open ones by default) and <c>POST /office/error-reports/{code}</c>
/// (OfficeMoveErrorReport: the next status and a note, from a form with its token; back to the
/// queue with a confirmation, or the queue again with the problem shown at the report). The Party
/// Building Board's (ban xây dựng đảng); each showing of members' details is in the audit trail.
/// </summary>
public static class OfficeErrorReports
{
    public const int MaxShown = 500;

    /// <summary>The tab of reports still to be handled (new or in progress).</summary>
    public const string OpenView = "open";

    public static IEndpointRouteBuilder MapErrorReportQueue(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office/error-reports").RequireOfficeRole(OfficeRole.BanXayDungDang);
        office.MapGet("/", (string? status, string? moved, ClaimsPrincipal user, ErrorReportDesk desk, OfficeAudit audit, CancellationToken cancellationToken) =>
            ShowAsync(status, moved, null, user, desk, audit, cancellationToken)).WithName("OfficeErrorReports").AsPage();
        office.MapPost("/{code}", MoveAsync).WithName("OfficeMoveErrorReport").WithFormBody<MoveErrorReportRequest>(ErrorReportsFeature.MaxReportBody).AsPage();
        return app;
    }

    private static async Task<Results<SeeOther, RazorComponentResult>> MoveAsync(
        string code, Body<MoveErrorReportRequest> body, ClaimsPrincipal user, ErrorReportDesk desk, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var request = body.Value;
        var back = request.View is { Length: > 0 and < 20 } view && ErrorReportStatuses.Parse(view).IsSuccess ? view : OpenView;
        var before = await desk.FindAsync(code, cancellationToken);
        var moved = await desk.MoveAsync(code, request.Status, request.Note, cancellationToken);
        if (!moved.IsSuccess)
        {
            return await ShowAsync(back, null, (code, moved.Error!), user, desk, audit, cancellationToken);
        }

        await ErrorReportsFeature.RecordMoveAsync(audit, user, before.Value, moved.Value, cancellationToken);
        return new SeeOther($"/office/error-reports?status={back}&moved={moved.Value.Code.Value}");
    }

    private static async Task<RazorComponentResult> ShowAsync(
        string? status, string? moved, (string Code, Error Error)? failed, ClaimsPrincipal user, ErrorReportDesk desk, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var filter = ErrorReportStatuses.Parse(status);
        var all = await desk.ListAsync(filter.IsSuccess ? filter.Value : null, cancellationToken);
        var shown = (filter.IsSuccess ? all : all.Where(r => r.NextStatuses.Count > 0)).OrderByDescending(r => r.FiledAt).Take(MaxShown).ToList();
        await ErrorReportsFeature.RecordViewAsync(audit, user, shown.Where(r => !r.IsAnonymised).Select(r => r.Code.Value), cancellationToken);
        return PageResults.Render<ErrorReportQueuePage, ErrorReportQueueModel>(
            new(shown, filter.IsSuccess ? WireFormat.Name(filter.Value) : OpenView, moved is { Length: > 0 } ? moved : null, failed),
            failed is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }
}

/// <summary>The queue: the reports of the tab <see cref="View"/>, the report just moved, and the one a move failed on, with why.</summary>
public sealed record ErrorReportQueueModel(IReadOnlyList<ErrorReport> Reports, string View, string? Moved, (string Code, Error Error)? Failed)
{
    /// <summary>The tabs: the open reports, then one per status.</summary>
    public static IEnumerable<(string View, string Name)> Tabs =>
        Enum.GetValues<ErrorReportStatus>().Select(s => (WireFormat.Name(s), ErrorReportStatuses.Name(s))).Prepend((OfficeErrorReports.OpenView, "Đang mở"));

    public Error? ErrorFor(ErrorReport report) => Failed is { } f && f.Code == report.Code.Value ? f.Error : null;
}
