using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Links;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// One unit's link, the office's (văn phòng) hand on it: send it again (<c>POST
/// /api/directives/{id}/units/{unitId}/link/resend</c>, ResendUnitLink: one email per call, or per
/// <c>Idempotency-Key</c>), revoke it and issue a new one without rotating the signing key (<c>POST
/// …/link/reissue[?fromVersion=n]</c>, ReissueUnitLink: the unit's link version goes up, the old link
/// answers "replaced", the new one goes out by email), and the same two from the unit's page on the
/// board (<c>POST /office/directives/{id}/units/{unitId}/link</c>, OfficeUnitLinkAction, a form with
/// its token: <c>action</c> = <c>resend</c> with the form's own key, or <c>reissue</c> with the
/// version the page showed — so a double post is one email, one new link). Each is audited; the
/// email is sent at once when no run is sending.
/// </summary>
public static class UnitLinkEndpoints
{
    public static IEndpointRouteBuilder MapUnitLinks(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/directives/{id}/units/{unitId}/link").WithTags("Escalations").RequireOfficeRole(OfficeRole.VanPhong);
        api.MapPost("/resend", ResendAsync).WithName("ResendUnitLink").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/reissue", ReissueAsync).WithName("ReissueUnitLink").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        app.MapPost("/office/directives/{id}/units/{unitId}/link", ActAsync).WithName("OfficeUnitLinkAction").RequireOfficeRole(OfficeRole.VanPhong)
            .WithFormBody<UnitLinkForm>(UnitLinkForm.MaxBody).AsPage();
        return app;
    }

    private static async Task<Results<Ok<UnitLinkResponse>, ApiProblem>> ResendAsync(
        string id, string unitId, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user,
        UnitNotices notices, OutboxSender sender, OfficeAudit audit, UnitLinkPage links, CancellationToken cancellationToken)
    {
        var resent = await ResendAndRecordAsync(id, unitId, idempotencyKey, user, notices, sender, audit, cancellationToken);
        return resent.IsSuccess ? TypedResults.Ok(await links.ResponseAsync(id, unitId, resent.Value, cancellationToken)) : Problems.For(resent.Error!);
    }

    private static async Task<Results<Ok<UnitLinkResponse>, ApiProblem>> ReissueAsync(
        string id, string unitId, int? fromVersion, ClaimsPrincipal user, UnitNotices notices, OutboxSender sender, OfficeAudit audit, UnitLinkPage links, CancellationToken cancellationToken)
    {
        var reissued = await ReissueAndRecordAsync(id, unitId, fromVersion, user, notices, sender, audit, cancellationToken);
        return reissued.IsSuccess ? TypedResults.Ok(await links.ResponseAsync(id, unitId, reissued.Value, cancellationToken)) : Problems.For(reissued.Error!);
    }

    /// <summary>The page's form: back to the unit's page with what was done, or the page again with the problem.</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> ActAsync(
        string id, string unitId, Body<UnitLinkForm> body, ClaimsPrincipal user, UnitNotices notices, OutboxSender sender, OfficeAudit audit, LadderDesk desk, Domain.Submissions.IStoredFiles files, UnitLinkPage links, CancellationToken cancellationToken)
    {
        var form = body.Refusal is null ? body.Value : UnitLinkForm.Empty;
        var back = $"/office/directives/{id}/units/{unitId}";
        Result<OutboxEntry?> done = body.Refusal is { } refused
            ? refused.AsError()
            : form.Action switch
            {
                UnitLinkForm.Resend => (await ResendAndRecordAsync(id, unitId, form.Key, user, notices, sender, audit, cancellationToken)).Match(e => Result<OutboxEntry?>.Success(e), e => e),
                UnitLinkForm.Reissue => await ReissueAndRecordAsync(id, unitId, form.Version, user, notices, sender, audit, cancellationToken),
                _ => Error.Validation("action", "invalid-action", "Không rõ việc cần làm; xin bấm lại nút trên trang."),
            };
        if (done.IsSuccess)
        {
            var what = form.Action == UnitLinkForm.Resend ? "gui-duong-dan" : "cap-lai";
            return new SeeOther(done.Value is { } email ? $"{back}?da={what}&gui={email.Id}" : $"{back}?da={what}");
        }

        return await UnitLadderPages.ShowAsync(id, unitId, null, new FailedAction(UnitLinkForm.TaskKey, done.Error!, LadderActionForm.Empty), user, desk, files, links, cancellationToken);
    }

    private static async Task<Result<OutboxEntry>> ResendAndRecordAsync(
        string id, string unitId, string? key, ClaimsPrincipal user, UnitNotices notices, OutboxSender sender, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var resent = await notices.ResendAsync(id, unitId, key, cancellationToken);
        if (!resent.IsSuccess)
        {
            return resent.Error!;
        }

        // One email per press: a second post of the same form finds its email already decided, and records nothing more.
        var (email, added) = resent.Value;
        if (added)
        {
            await audit.RecordAsync(user, AuditAction.UnitLinkResent, cancellationToken, subject: email.Id, summary: $"Thư {email.Id}", directiveId: id, unitId: unitId);
        }

        return await sender.SendNowAsync(email.Scope, email.Id, cancellationToken) ?? email;
    }

    private static async Task<Result<OutboxEntry?>> ReissueAndRecordAsync(
        string id, string unitId, int? fromVersion, ClaimsPrincipal user, UnitNotices notices, OutboxSender sender, OfficeAudit audit, CancellationToken cancellationToken)
    {
        var reissued = await notices.ReissueAsync(id, unitId, fromVersion, cancellationToken);
        if (!reissued.IsSuccess)
        {
            return reissued.Error!;
        }

        var (version, email, changed) = reissued.Value;
        if (changed)
        {
            await audit.RecordAsync(user, AuditAction.UnitLinkReissued, cancellationToken, subject: $"Lần {version}",
                summary: $"Đường dẫn lần {version}; đường dẫn cũ không còn dùng được" + (email is null ? "; không gửi được thư (không có địa chỉ)" : $"; thư {email.Id}"), directiveId: id, unitId: unitId);
        }

        return email is null ? Result<OutboxEntry?>.Success(null) : await sender.SendNowAsync(email.Scope, email.Id, cancellationToken) ?? email;
    }
}

/// <summary>The unit-link form of the unit's page: <c>resend</c> (with the form's own key) or <c>reissue</c> (with the link version the page showed).</summary>
public sealed record UnitLinkForm(string Action, string? Key, int? Version) : IRequestBody<UnitLinkForm>
{
    public const long MaxBody = 4 * 1024;
    public const string Resend = "resend";
    public const string Reissue = "reissue";

    /// <summary>Where the page shows a problem of this form (the section of the link, not a task).</summary>
    public const string TaskKey = "link";

    public static readonly UnitLinkForm Empty = new(string.Empty, null, null);

    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static UnitLinkForm FromForm(IFormCollection form) =>
        new(form["action"].ToString(), form["key"].ToString(), int.TryParse(form["version"].ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null);
}

/// <summary>A unit's link as the office's API answers after sending or reissuing it: the link in force, its version, and the email that carries it (none when nobody could be reached).</summary>
public sealed record UnitLinkResponse(string UnitId, string Url, int LinkVersion, string? EmailId, string? EmailState, string? Message);

/// <summary>The unit's link in force as the office's pages show it, at the address the request came to (or the configured one).</summary>
public sealed class UnitLinkPage(HttpRequest request, DirectiveRegistry registry, IDirectiveStore directives, IDirectiveStateStore states, IOptions<UnitLinkOptions> options)
    : IBindableFromHttpContext<UnitLinkPage>
{
    public static ValueTask<UnitLinkPage?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var services = context.RequestServices;
        return ValueTask.FromResult<UnitLinkPage?>(new UnitLinkPage(
            context.Request,
            services.GetRequiredService<DirectiveRegistry>(),
            services.GetRequiredService<IDirectiveStore>(),
            services.GetRequiredService<IDirectiveStateStore>(),
            services.GetRequiredService<IOptions<UnitLinkOptions>>()));
    }

    public string UrlOf(UnitLadders view) => UrlOf(view.Directive, view.UnitId, view.LinkVersion);

    public string UrlOf(Directive directive, Domain.Units.UnitId unit, int version) =>
        UnitLinks.UnitUrl(request, options.Value, registry.LinksFor(directive, new Dictionary<Domain.Units.UnitId, int> { [unit] = version }).First(l => l.UnitId == unit).Token);

    public async Task<UnitLinkResponse> ResponseAsync(string id, string unitId, OutboxEntry? email, CancellationToken cancellationToken)
    {
        var directive = (await directives.GetAsync(DirectiveId.Parse(id).Value, cancellationToken))!;
        var unit = Domain.Units.UnitId.Parse(unitId).Value;
        var version = await states.LinkVersionAsync(directive.Id, unit, cancellationToken);
        return new UnitLinkResponse(unit.Value, UrlOf(directive, unit, version), version, email?.Id, email is null ? null : Shared.Wire.WireFormat.Name(email.State), email is null ? "Không gửi được thư: không có địa chỉ thư điện tử nào." : OutboxNotes.Describe(email));
    }
}
