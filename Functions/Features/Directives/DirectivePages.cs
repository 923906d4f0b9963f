using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
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
        return PageResults.Render<BoardPage, BoardModel>(new BoardModel(board, query, unitLinks, Created: moi is not null));
    }

    private static async Task<RazorComponentResult> NewAsync(UnitRegistry units, CancellationToken cancellationToken) =>
        PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(DirectiveForm.Empty, await units.TreeAsync(cancellationToken), null, null));

    /// <summary>
    /// "Gợi ý": the form again with the tasks found in the pasted text; "Tạo": the board of the new
    /// directive — or, the first time some task's deadline has already passed, the form again with
    /// what will be sent for it and when, to confirm (or tick "Không nhắc") — or the form again with
    /// every problem and everything typed.
    /// </summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> CreateAsync(
        Body<DirectiveForm> body, DirectiveRegistry registry, UnitRegistry units, DueRule rule, TimeProvider time, CancellationToken cancellationToken)
    {
        var tree = await units.TreeAsync(cancellationToken);
        if (body.Refusal is { } refused)
        {
            return PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(DirectiveForm.Empty, tree, refused.AsError(), null), refused.Status);
        }

        var form = body.Value;
        var now = time.GetUtcNow();
        IReadOnlyDictionary<int, string> Late(DirectiveForm f) => NewDirectiveModel.LateNoticesFor(f, now, d => Ladder.Forecast(rule, d, now));
        if (form.Action == DirectiveForm.SuggestAction)
        {
            var suggested = DispatchScanner.Suggest(form.Dispatch);
            var note = suggested.Count == 0
                ? "Không tìm thấy nhiệm vụ có hạn trong nội dung đã dán (cụm như “trước ngày 26/02/2026”, “chậm nhất ngày …”). Xin nhập nhiệm vụ bằng tay."
                : $"Đã gợi ý {Format.Count(suggested.Count)} nhiệm vụ từ nội dung công văn. Xin kiểm tra tên, hạn và chọn đơn vị thực hiện trước khi tạo.";
            var withSuggestions = form.WithSuggestions(suggested);
            return PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(withSuggestions, tree, null, note, Late(withSuggestions)));
        }

        var late = Late(form);
        if (late.Count > 0 && !form.LateSeen)
        {
            var note = $"Có {Format.Count(late.Count)} nhiệm vụ đã quá hạn khi tạo. Xem dưới mỗi nhiệm vụ hệ thống sẽ gửi thư gì và khi nào; đánh dấu “Không nhắc” nếu chỉ cần ghi nhận, rồi bấm “Tạo công văn” lần nữa.";
            return PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(form with { LateSeen = true }, tree, null, note, late));
        }

        var registered = await registry.RegisterAsync(form.ToInput(), cancellationToken);
        return registered.IsSuccess
            ? new SeeOther($"/office/directives/{registered.Value.Directive.Id.Value}?moi=1")
            : PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(form, tree, registered.Error, null, late), StatusCodes.Status400BadRequest);
    }
}
