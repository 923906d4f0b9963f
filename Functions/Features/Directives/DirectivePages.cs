using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Links;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// The office's pages for directives: <c>GET /office</c> (OfficeDirectives: every directive with its
/// progress), <c>GET /office/directives/{id}</c> (OfficeDirective: the units × tasks board with
/// each cell's state and escalation step, rates per level and per branch, search/filter/sort by
/// query string, and each unit's link to hand out) and <c>GET/POST /office/directives/new</c>
/// (NewDirective: the form, with tasks suggested from the dispatch's text).
/// </summary>
public static class DirectivePages
{
    public static IEndpointRouteBuilder MapDirectivePages(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office");
        office.MapGet("/", ListAsync).WithName("OfficeDirectives").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc).AsPage();
        office.MapGet("/directives/{id}", BoardAsync).WithName("OfficeDirective").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc).AsPage();
        office.MapGet("/directives/new", NewAsync).WithName("NewDirective").RequireOfficeRole(OfficeRole.VanPhong).AsPage();
        office.MapPost("/directives/new", CreateAsync).WithName("NewDirectivePost").RequireOfficeRole(OfficeRole.VanPhong).WithFormBody<DirectiveForm>(DirectivesFeature.MaxDirectiveBody).AsPage();
        return app;
    }

    private static async Task<RazorComponentResult> ListAsync(IDirectiveStore store, DirectiveRegistry registry, UnitRegistry units, CancellationToken cancellationToken)
    {
        var tree = await units.TreeAsync(cancellationToken);
        var rows = new List<DirectiveListRow>();
        foreach (var directive in (await store.ListAsync(cancellationToken)).OrderByDescending(d => d.RegisteredAt))
        {
            var view = await registry.ViewAsync(directive.Id.Value, cancellationToken);
            rows.Add(new DirectiveListRow(directive, view.IsSuccess ? DirectiveProgress.Of(view.Value.Assignments, tree).Overall : ProgressRates.Of(string.Empty, [])));
        }

        return PageResults.Render<DirectiveListPage, DirectiveListModel>(new DirectiveListModel(rows));
    }

    private static async Task<RazorComponentResult> BoardAsync(
        string id, string? q, string? cap, string? tt, string? sx, string? moi, HttpRequest request,
        DirectiveRegistry registry, UnitRegistry units, IEscalationStore escalations, IOptions<UnitLinkOptions> links, CancellationToken cancellationToken)
    {
        var view = await registry.ViewAsync(id, cancellationToken);
        if (!view.IsSuccess)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy công văn"), StatusCodes.Status404NotFound);
        }

        var query = BoardModel.ReadQuery(q, cap, tt, sx);
        var tree = await units.TreeAsync(cancellationToken);
        var ladders = await escalations.LaddersAsync(view.Value.Directive.Id, cancellationToken);
        var board = DirectiveBoard.Of(view.Value, tree, ladders, query);
        var unitLinks = registry.LinksFor(board.Directive)
            .Select(l => new UnitLinkLine(tree.Find(l.UnitId)?.Name ?? l.UnitId.Value, UnitLinks.UnitUrl(request, links.Value, l.Token)))
            .OrderBy(l => l.Name, VietnameseCollation.Instance).ToList();
        return PageResults.Render<BoardPage, BoardModel>(new BoardModel(board, query, unitLinks, Created: moi is not null, view.Value.Days));
    }

    private static async Task<RazorComponentResult> NewAsync(UnitRegistry units, ICalendarSource calendars, CancellationToken cancellationToken) =>
        PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(DirectiveForm.Empty, await units.TreeAsync(cancellationToken), null, null, await calendars.CurrentAsync(cancellationToken)));

    /// <summary>
    /// "Gợi ý": the form again with what the pasted dispatch says filled in (number, date, issuer,
    /// subject where empty; its tasks, with or without deadline, and the units they name); "Xem hạn": the form again with
    /// each task's last day and how it was counted; "Tạo": the board of the new directive, or the form
    /// again with every problem and everything typed.
    /// </summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> CreateAsync(
        Body<DirectiveForm> body, ClaimsPrincipal user, DirectiveRegistry registry, UnitRegistry units, ICalendarSource calendars, OfficeAudit audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var tree = await units.TreeAsync(cancellationToken);
        var calendar = await calendars.CurrentAsync(cancellationToken);
        if (body.Refusal is { } refused)
        {
            return PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(DirectiveForm.Empty, tree, refused.AsError(), null, calendar), refused.Status);
        }

        var form = body.Value;
        if (form.Action == DirectiveForm.SuggestAction)
        {
            var reading = DispatchReader.Read(form.Dispatch, new SuggestionContext(calendar, VietnamTime.DateOf(time.GetUtcNow()), form.IssuedDate));
            var (suggested, outcome) = form.WithReading(reading, tree);
            return PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(suggested, tree, null, NewDirectiveModel.SuggestionNote(outcome), calendar));
        }

        if (form.Action == DirectiveForm.CheckAction)
        {
            return PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(form, tree, null, "Hạn của từng nhiệm vụ được tính và ghi ngay dưới ô hạn. Công văn chưa được tạo.", calendar));
        }

        var registered = await registry.RegisterAsync(form.ToInput(), cancellationToken);
        if (registered.IsSuccess)
        {
            await audit.RecordDirectiveAsync(user, registered.Value.Directive, cancellationToken);
        }

        return registered.IsSuccess
            ? new SeeOther($"/office/directives/{registered.Value.Directive.Id.Value}?moi=1")
            : PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(form, tree, registered.Error, null, calendar), StatusCodes.Status400BadRequest);
    }
}
