using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Links;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// <c>PATCH</c> (or <c>PUT</c>) <c>/api/directives/{id}</c> (EditDirective): the office changes a
/// registered directive. The request names the version it was made from in <c>If-Match</c> (the
/// <c>ETag</c> of <c>GET /api/directives/{id}</c>, <c>"r0"</c> as registered): without it 428, and
/// when another edit was saved since, 412 with the current version (<c>etag</c>) and the directive as
/// it is now (<c>current</c>) — nothing is saved. 200 with the change recorded, the new ETag and one
/// link per unit added. Văn phòng only; every edit goes to the audit trail.
/// </summary>
public static class DirectiveEditing
{
    public static IEndpointRouteBuilder MapDirectiveEditing(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/directives/{id}", [HttpMethods.Patch, HttpMethods.Put], EditAsync).WithName("EditDirective").WithTags("Directives")
            .RequireOfficeRole(OfficeRole.VanPhong).WithBody<EditDirectiveRequest>(DirectivesFeature.MaxDirectiveBody)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return app;
    }

    /// <summary>The ETag of a directive's revision: <c>"r3"</c> after three edits.</summary>
    public static string ETagOf(Directive directive) => $"\"r{directive.Revision.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The revision an <c>If-Match</c> names (weak or strong), or null when it names none this server made.</summary>
    public static int? RevisionOf(string? ifMatch)
    {
        var text = (ifMatch ?? string.Empty).Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        return text.Length > 3 && text[0] == '"' && text[^1] == '"' && text[1] == 'r'
            && int.TryParse(text.AsSpan(2, text.Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : null;
    }

    private static async Task<Results<Ok<DirectiveEditResponse>, ApiProblem>> EditAsync(
        string id, Body<EditDirectiveRequest> body, HttpRequest request, HttpResponse response, ClaimsPrincipal user,
        DirectiveEditor editor, OfficeAudit audit, IOptions<UnitLinkOptions> links, CancellationToken cancellationToken)
    {
        var directiveId = DirectiveId.Parse(id);
        if (!directiveId.IsSuccess || await editor.CurrentAsync(directiveId.Value, cancellationToken) is not { } current)
        {
            return Problems.For(Error.NotFound("directive-not-found", "Không tìm thấy công văn."));
        }

        var ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            return Stale(StatusCodes.Status428PreconditionRequired, "if-match-required", "Cần gửi kèm phiên bản công văn đang sửa (tiêu đề If-Match, lấy từ ETag khi đọc công văn).", current.Value);
        }

        var revision = ifMatch.Trim() == "*" ? current.Value.Revision : RevisionOf(ifMatch);
        if (revision != current.Value.Revision)
        {
            return Stale(StatusCodes.Status412PreconditionFailed, DirectiveEditor.StaleCode, DirectiveEditor.Stale.Message, current.Value);
        }

        var saved = await editor.EditAsync(directiveId.Value, revision, body.Value.ToInput(), user.ActorOf().Name, cancellationToken);
        if (!saved.IsSuccess)
        {
            if (saved.Error!.Code == DirectiveEditor.StaleCode && await editor.CurrentAsync(directiveId.Value, cancellationToken) is { } now)
            {
                return Stale(StatusCodes.Status412PreconditionFailed, DirectiveEditor.StaleCode, saved.Error.Message, now.Value);
            }

            return Problems.For(saved.Error!);
        }

        var edited = saved.Value.Edited;
        await audit.RecordDirectiveEditAsync(user, edited, cancellationToken);
        response.Headers.ETag = ETagOf(edited.After);
        return TypedResults.Ok(new DirectiveEditResponse(
            edited.After.Id.Value,
            ETagOf(edited.After),
            ChangeResponse.Of(edited.Change),
            saved.Value.NewLinks.Select(l => new UnitLinkResponse(l.UnitId.Value, UnitLinks.UnitUrl(request, links.Value, l.Token))).ToList()));
    }

    private static ApiProblem Stale(int status, string code, string title, Directive current)
    {
        var problem = Problems.Problem(status, code, title);
        problem.Value.Extensions["etag"] = ETagOf(current);
        problem.Value.Extensions["current"] = DirectiveVersion.Of(current);
        return problem;
    }
}

/// <summary>
/// <c>PATCH /api/directives/{id}</c>: what changes. <c>number</c>, <c>issuedOn</c>, <c>issuer</c>,
/// <c>subject</c>: corrections (absent: unchanged). <c>tasks</c>: per task by id, units to add
/// (plain ids, <c>id/*</c>, or <c>{"id","role"}</c>) or remove, a later <c>deadline</c>, or
/// <c>cancel: true</c>. <c>newTasks</c>: tasks to add, as at registration. <c>reason</c>: why —
/// required to extend, cancel or remove.
/// </summary>
public sealed record EditDirectiveRequest(string? Number, string? IssuedOn, string? Issuer, string? Subject, string? Reason, IReadOnlyList<TaskEditRequest>? Tasks, IReadOnlyList<TaskRequest>? NewTasks)
    : IRequestBody<EditDirectiveRequest>
{
    public DirectiveEditInput ToInput() => new(
        Number,
        IssuedOn,
        Issuer,
        Subject,
        Reason,
        Tasks?.Select(t => new TaskEditInput(t?.Id, t?.AddUnits?.Select(u => u?.Id ?? string.Empty).ToList(), t?.AddUnits?.Select(u => u?.Role).ToList(), t?.RemoveUnits, t?.Deadline, t?.Cancel ?? false)).ToList(),
        NewTasks?.Select(t => t.ToTaskInput()).ToList());
}

/// <summary>One task's change: units to add (each a plain id, <c>id/*</c>, or <c>{"id","role"}</c>), units to remove, a later deadline, or its cancellation.</summary>
public sealed record TaskEditRequest(string? Id, IReadOnlyList<UnitReference>? AddUnits, IReadOnlyList<string>? RemoveUnits, string? Deadline, bool? Cancel);

/// <summary>An edit saved: the directive's new ETag, the change as recorded, and one link per unit added.</summary>
public sealed record DirectiveEditResponse(string Id, string ETag, ChangeResponse Change, IReadOnlyList<UnitLinkResponse> Links);

/// <summary>One edit in the directive's history: its revision, when, who, why, and each change in words.</summary>
public sealed record ChangeResponse(int Revision, DateTimeOffset At, string By, string Reason, IReadOnlyList<ChangeLineResponse> Lines)
{
    public static ChangeResponse Of(DirectiveChange change) =>
        new(change.Revision, change.At, change.By, change.Reason, change.Lines.Select(l => new ChangeLineResponse(l.Kind, l.Task?.Value, l.Units.Select(u => u.Value).ToList(), l.Before, l.After, l.Text)).ToList());
}

/// <summary>One change: its kind (<c>corrected</c>, <c>units-added</c>, <c>units-removed</c>, <c>deadline-extended</c>, <c>deadline-set</c>, <c>task-cancelled</c>, <c>task-added</c>), the task, the units concerned, before and after, and the sentence the units read.</summary>
public sealed record ChangeLineResponse(DirectiveChangeKind Kind, string? Task, IReadOnlyList<string> Units, string? Before, string? After, string Text);

/// <summary>A directive as it is now (in a 412): its ETag, fields and tasks with their deadlines, units and roles.</summary>
public sealed record DirectiveVersion(string ETag, string Number, string IssuedOn, string Issuer, string Subject, IReadOnlyList<DirectiveVersionTask> Tasks)
{
    public static DirectiveVersion Of(Directive d) => new(
        DirectiveEditing.ETagOf(d), d.Number, WireFormat.Date(d.IssuedOn), d.Issuer, d.Subject,
        d.Tasks.Select(t => new DirectiveVersionTask(t.Id.Value, t.Title, WireFormat.Deadline(t.Deadline), t.Cancelled is not null, t.Units.Select(u => u.Value).ToList(), RoleResponse.Of(t))).ToList());
}

public sealed record DirectiveVersionTask(string Id, string Title, string? Deadline, bool Cancelled, IReadOnlyList<string> Units, IReadOnlyList<RoleResponse> Roles);

/// <summary>Registers the editor; units added are told through the <see cref="IDirectiveNotices"/> the deadline feature registers (the units' notices), when there is one.</summary>
public static class DirectiveEditingServices
{
    public static IServiceCollection AddDirectiveEditing(this IServiceCollection services) => services.AddSingleton<DirectiveEditor>();
}
