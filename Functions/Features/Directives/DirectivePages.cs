using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Progress;
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

    /// <summary>The list: the directives' headers and their counts (two queries, whatever their number).</summary>
    private static async Task<RazorComponentResult> ListAsync(ClaimsPrincipal user, OfficeDesk desk, CancellationToken cancellationToken) =>
        PageResults.Render<DirectiveListPage, DirectiveListModel>(new DirectiveListModel(
            (await desk.DirectivesAsync(cancellationToken)).Select(d => new DirectiveListRow(d.Directive, d.Rates)).ToList(),
            CanCreate: user.IsInRole(OfficeRoles.Code(OfficeRole.VanPhong))));

    /// <summary>The board: the directive's read model (one query), the unit tree, the ladders; the rows of one page, and the links of those rows.</summary>
    private static async Task<RazorComponentResult> BoardAsync(
        string id, string? q, string? cap, string? tt, string? sx, string? trang, string? moi, HttpRequest request,
        OfficeDesk desk, DirectiveRegistry registry, UnitRegistry units, IEscalationStore escalations, IOptions<UnitLinkOptions> links, CancellationToken cancellationToken)
    {
        var tree = await units.CurrentTreeAsync(cancellationToken);
        var view = await desk.ViewAsync(id, tree, cancellationToken);
        if (!view.IsSuccess)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy công văn"), StatusCodes.Status404NotFound);
        }

        var query = BoardModel.ReadQuery(q, cap, tt, sx);
        var ladders = await escalations.LaddersAsync(view.Value.Directive.Id, cancellationToken);
        var board = DirectiveBoard.Of(view.Value, tree, ladders, query);
        var page = BoardModel.PageOf(trang, board.Rows.Count);
        var shown = board.Rows.Skip((page - 1) * BoardModel.PageSize).Take(BoardModel.PageSize).ToList();
        var unitLinks = shown
            .Select(r => new UnitLinkLine(r.Name, UnitLinks.UnitUrl(request, links.Value, registry.LinkFor(board.Directive, r.UnitId).Token)))
            .OrderBy(l => l.Name, VietnameseCollation.Instance).ToList();
        return PageResults.Render<BoardPage, BoardModel>(new BoardModel(board, query, shown, page, unitLinks, Created: moi is not null, view.Value.Days));
    }

    private static async Task<RazorComponentResult> NewAsync(UnitRegistry units, ICalendarSource calendars, CancellationToken cancellationToken) =>
        PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(DirectiveForm.Empty, await units.TreeAsync(cancellationToken), null, null, await calendars.CurrentAsync(cancellationToken)));

    /// <summary>
    /// "Gợi ý": the form again with the tasks found in the pasted text; "Xem hạn": the form again with
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
            var suggested = DispatchScanner.Suggest(form.Dispatch, new SuggestionContext(calendar, VietnamTime.DateOf(time.GetUtcNow()), form.IssuedDate));
            var note = suggested.Count == 0
                ? "Không tìm thấy nhiệm vụ có hạn trong nội dung đã dán (cụm như “trước ngày 26/02/2026”, “chậm nhất ngày …”, “05 ngày làm việc kể từ ngày …”). Xin nhập nhiệm vụ bằng tay."
                : $"Đã gợi ý {Format.Count(suggested.Count)} nhiệm vụ từ nội dung công văn. Xin kiểm tra tên, hạn và chọn đơn vị thực hiện trước khi tạo.";
            return PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(form.WithSuggestions(suggested), tree, null, note, calendar));
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
