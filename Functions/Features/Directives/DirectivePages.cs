using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
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
        var office = app.MapGroup("/office").RequireAuthorization(OfficeAuthentication.Policy);
        office.MapGet("/", ListAsync).WithName("OfficeDirectives").AsPage();
        office.MapGet("/directives/{id}", BoardAsync).WithName("OfficeDirective").AsPage();
        office.MapGet("/directives/new", NewAsync).WithName("NewDirective").AsPage();
        office.MapPost("/directives/new", CreateAsync).WithName("NewDirectivePost").WithFormBody<DirectiveForm>(DirectivesFeature.MaxDirectiveBody).AsPage();
        return app;
    }

    /// <summary>The list: the directives' headers and their counts (two queries, whatever their number).</summary>
    private static async Task<RazorComponentResult> ListAsync(OfficeDesk desk, CancellationToken cancellationToken) =>
        PageResults.Render<DirectiveListPage, DirectiveListModel>(new DirectiveListModel(
            (await desk.DirectivesAsync(cancellationToken)).Select(d => new DirectiveListRow(d.Directive, d.Rates)).ToList()));

    /// <summary>The board: the directive's read model (one query), the unit tree, the ladders; the rows of one page, and the links of those rows.</summary>
    private static async Task<RazorComponentResult> BoardAsync(
        string id, string? q, string? cap, string? tt, string? sx, string? trang, string? moi, HttpRequest request,
        OfficeDesk desk, DirectiveRegistry registry, UnitRegistry units, IEscalationStore escalations, IOptions<UnitLinkOptions> links, CancellationToken cancellationToken)
    {
        var tree = await units.TreeAsync(cancellationToken);
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
        return PageResults.Render<BoardPage, BoardModel>(new BoardModel(board, query, shown, page, unitLinks, Created: moi is not null));
    }

    private static async Task<RazorComponentResult> NewAsync(UnitRegistry units, CancellationToken cancellationToken) =>
        PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(DirectiveForm.Empty, await units.TreeAsync(cancellationToken), null, null));

    /// <summary>"Gợi ý": the form again with the tasks found in the pasted text; "Tạo": the board of the new directive, or the form again with every problem and everything typed.</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> CreateAsync(
        Body<DirectiveForm> body, DirectiveRegistry registry, UnitRegistry units, CancellationToken cancellationToken)
    {
        var tree = await units.TreeAsync(cancellationToken);
        if (body.Refusal is { } refused)
        {
            return PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(DirectiveForm.Empty, tree, refused.AsError(), null), refused.Status);
        }

        var form = body.Value;
        if (form.Action == DirectiveForm.SuggestAction)
        {
            var suggested = DispatchScanner.Suggest(form.Dispatch);
            var note = suggested.Count == 0
                ? "Không tìm thấy nhiệm vụ có hạn trong nội dung đã dán (cụm như “trước ngày 26/02/2026”, “chậm nhất ngày …”). Xin nhập nhiệm vụ bằng tay."
                : $"Đã gợi ý {Format.Count(suggested.Count)} nhiệm vụ từ nội dung công văn. Xin kiểm tra tên, hạn và chọn đơn vị thực hiện trước khi tạo.";
            return PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(form.WithSuggestions(suggested), tree, null, note));
        }

        var registered = await registry.RegisterAsync(form.ToInput(), cancellationToken);
        return registered.IsSuccess
            ? new SeeOther($"/office/directives/{registered.Value.Directive.Id.Value}?moi=1")
            : PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(form, tree, registered.Error, null), StatusCodes.Status400BadRequest);
    }
}
