using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.Closing;

/// <summary>
/// Closing a directive (kết thúc) and opening it again, the office's (văn phòng) alone:
/// <c>POST /api/directives/{id}/close</c> (CloseDirective, <c>{"note"}</c>; idempotent: a second
/// call answers the closure in force), <c>POST /api/directives/{id}/reopen</c> (ReopenDirective),
/// and the pages: <c>GET/POST /office/directives/{id}/close</c> (OfficeCloseDirective: the
/// confirmation with a note, no script) and <c>POST /office/directives/{id}/reopen</c>
/// (OfficeReopenDirective). Each change is in the audit trail under the signed-in person.
/// </summary>
public static class ClosingFeature
{
    public const long MaxCloseBody = 8 * 1024;

    public static IServiceCollection AddDirectiveLifecycle(this IServiceCollection services) =>
        services.AddTable(TableDirectiveStateStore.TableName)
            .AddSingleton<IDirectiveStateStore, TableDirectiveStateStore>()
            .AddSingleton<DirectiveLifecycle>();

    public static IEndpointRouteBuilder MapDirectiveLifecycle(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/directives/{id}").WithTags("Directives").RequireOfficeRole(OfficeRole.VanPhong);
        api.MapPost("/close", CloseAsync).WithName("CloseDirective").WithBody<CloseDirectiveRequest>(MaxCloseBody)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/reopen", ReopenAsync).WithName("ReopenDirective").ProducesProblem(StatusCodes.Status404NotFound);

        var pages = app.MapGroup("/office/directives/{id}").RequireOfficeRole(OfficeRole.VanPhong);
        pages.MapGet("/close", ConfirmAsync).WithName("OfficeCloseDirective").AsPage();
        pages.MapPost("/close", CloseFromPageAsync).WithName("OfficeCloseDirectivePost").WithFormBody<CloseDirectiveRequest>(MaxCloseBody).AsPage();
        pages.MapPost("/reopen", ReopenFromPageAsync).WithName("OfficeReopenDirective").WithFormBody<ReopenForm>(ReopenForm.MaxBody).AsPage();
        return app;
    }

    private static async Task<Results<Ok<DirectiveStateResponse>, ApiProblem>> CloseAsync(
        string id, Body<CloseDirectiveRequest> body, ClaimsPrincipal user, DirectiveLifecycle lifecycle, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var closed = await CloseAndRecordAsync(id, body.Value.Note, user, lifecycle, audit, cancellationToken);
        return closed.IsSuccess ? TypedResults.Ok(DirectiveStateResponse.Of(closed.Value.Directive, closed.Value.Closure)) : Problems.For(closed.Error!);
    }

    private static async Task<Results<Ok<DirectiveStateResponse>, ApiProblem>> ReopenAsync(
        string id, ClaimsPrincipal user, DirectiveLifecycle lifecycle, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var opened = await ReopenAndRecordAsync(id, user, lifecycle, audit, cancellationToken);
        return opened.IsSuccess ? TypedResults.Ok(DirectiveStateResponse.Of(opened.Value, null)) : Problems.For(opened.Error!);
    }

    private static async Task<RazorComponentResult> ConfirmAsync(string id, IDirectiveStore directives, DirectiveLifecycle lifecycle, CancellationToken cancellationToken) =>
        await PageAsync(id, CloseDirectiveRequest.Empty, null, directives, lifecycle, cancellationToken);

    /// <summary>Closes, then back to the board (which says so); or the confirmation again with the problem and the note typed.</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> CloseFromPageAsync(
        string id, Body<CloseDirectiveRequest> body, ClaimsPrincipal user, IDirectiveStore directives, DirectiveLifecycle lifecycle, OfficeAudit audit, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            return await PageAsync(id, CloseDirectiveRequest.Empty, refused.AsError("note"), directives, lifecycle, cancellationToken, refused.Status);
        }

        var closed = await CloseAndRecordAsync(id, body.Value.Note, user, lifecycle, audit, cancellationToken);
        return closed.IsSuccess
            ? new SeeOther($"/office/directives/{closed.Value.Directive.Id.Value}?da=ket-thuc")
            : await PageAsync(id, body.Value, closed.Error, directives, lifecycle, cancellationToken);
    }

    private static async Task<Results<SeeOther, RazorComponentResult>> ReopenFromPageAsync(
        string id, Body<ReopenForm> body, ClaimsPrincipal user, DirectiveLifecycle lifecycle, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var opened = await ReopenAndRecordAsync(id, user, lifecycle, audit, cancellationToken);
        return opened.IsSuccess
            ? new SeeOther($"/office/directives/{opened.Value.Id.Value}?da=mo-lai")
            : PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy công văn"), StatusCodes.Status404NotFound);
    }

    private static async Task<Result<(Directive Directive, DirectiveClosure Closure)>> CloseAndRecordAsync(
        string id, string? note, ClaimsPrincipal user, DirectiveLifecycle lifecycle, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var actor = user.ActorOf();
        var closed = await lifecycle.CloseAsync(id, actor.Name, note, cancellationToken);
        if (!closed.IsSuccess)
        {
            return closed.Error!;
        }

        var (directive, closure, changed) = closed.Value;
        if (changed)
        {
            await audit.RecordAsync(actor, AuditAction.DirectiveClosed, cancellationToken, subject: directive.Number, directiveId: directive.Id.Value,
                summary: $"{directive.Number}: {directive.Subject}" + (closure.Note is { } why ? $". Ghi chú: {why}" : string.Empty));
        }

        return (directive, closure);
    }

    private static async Task<Result<Directive>> ReopenAndRecordAsync(
        string id, ClaimsPrincipal user, DirectiveLifecycle lifecycle, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var opened = await lifecycle.ReopenAsync(id, cancellationToken);
        if (!opened.IsSuccess)
        {
            return opened.Error!;
        }

        var (directive, changed) = opened.Value;
        if (changed)
        {
            await audit.RecordAsync(user, AuditAction.DirectiveReopened, cancellationToken, subject: directive.Number, directiveId: directive.Id.Value, summary: $"{directive.Number}: {directive.Subject}");
        }

        return directive;
    }

    private static async Task<RazorComponentResult> PageAsync(
        string id, CloseDirectiveRequest typed, Error? problem, IDirectiveStore directives, DirectiveLifecycle lifecycle, CancellationToken cancellationToken, int? status = null)
    {
        if (DirectiveId.Parse(id) is not { IsSuccess: true } directiveId || await directives.GetAsync(directiveId.Value, cancellationToken) is not { } directive)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy công văn"), StatusCodes.Status404NotFound);
        }

        return PageResults.Render<CloseDirectivePage, CloseDirectiveModel>(
            new CloseDirectiveModel(directive, await lifecycle.ClosureAsync(directive.Id, cancellationToken), typed, problem),
            status ?? (problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest));
    }
}

/// <summary>Closing a directive: the office's note (why, e.g. "Đã tổng hợp báo cáo gửi Thành ủy"), optional.</summary>
public sealed record CloseDirectiveRequest(string? Note) : IRequestBody<CloseDirectiveRequest>
{
    public static readonly CloseDirectiveRequest Empty = new((string?)null);

    public static bool ReadsForm => true;

    public static CloseDirectiveRequest FromForm(IFormCollection form) => new(form["note"].ToString());
}

/// <summary>The reopen button's form: nothing but its token.</summary>
public sealed record ReopenForm : IRequestBody<ReopenForm>
{
    public const long MaxBody = 4 * 1024;

    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static ReopenForm FromForm(IFormCollection form) => new();
}

/// <summary>Whether a directive is closed: when, by whom, and the office's note; all empty while it is open.</summary>
public sealed record DirectiveStateResponse(string Id, string Number, bool Closed, DateTimeOffset? ClosedAt, string? ClosedBy, string? Note)
{
    public static DirectiveStateResponse Of(Directive d, DirectiveClosure? c) => new(d.Id.Value, d.Number, c is not null, c?.ClosedAt, c?.ClosedBy, c?.Note);
}

/// <summary>The confirmation page: the directive, its closure if it is closed already, the note typed and a problem.</summary>
public sealed record CloseDirectiveModel(Directive Directive, DirectiveClosure? Closure, CloseDirectiveRequest Typed, Error? Problem)
{
    public static string FieldName(string field) => field == "note" ? "Ghi chú" : "Yêu cầu";
}
