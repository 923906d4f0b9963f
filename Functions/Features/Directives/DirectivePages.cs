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
using ServerlessWorkflow.Functions.Shared.Wire;

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
    /// <summary>The form with its attached template files (each at most an upload's size).</summary>
    public const long MaxFormBody = DirectivesFeature.MaxDirectiveBody + (2 * Domain.Statistics.UploadRefusals.MaxBytes);

    public static IEndpointRouteBuilder MapDirectivePages(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office").RequireAuthorization(OfficeAuthentication.Policy);
        office.MapGet("/", ListAsync).WithName("OfficeDirectives").AsPage();
        office.MapGet("/directives/{id}", BoardAsync).WithName("OfficeDirective").AsPage();
        office.MapGet("/directives/new", NewAsync).WithName("NewDirective").AsPage();
        office.MapPost("/directives/new", CreateAsync).WithName("NewDirectivePost").WithFormBody<DirectiveForm>(MaxFormBody).AsPage();
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
    /// "Gợi ý": the form again with the tasks found in the pasted text; "Đọc mẫu" (or a template file
    /// attached): the form again with what was read from each file, to check before creating; "Tạo":
    /// the board of the new directive — after the office has seen any warning once — or the form again
    /// with every problem and everything typed.
    /// </summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> CreateAsync(
        Body<DirectiveForm> body, DirectiveRegistry registry, UnitRegistry units, Domain.Statistics.ReportTemplates templates, CancellationToken cancellationToken)
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
            return await FormAsync(form.WithSuggestions(suggested), tree, null, note, [], templates, StatusCodes.Status200OK, cancellationToken);
        }

        // Template files attached: read and kept (by their content), then shown to check before anything is created.
        var problems = new Validation();
        var rows = form.Tasks.ToList();
        var read = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].TemplateFile is not { } file)
            {
                continue;
            }

            var template = await templates.AddAsync(file, cancellationToken);
            if (template.IsSuccess)
            {
                rows[i] = rows[i] with { Template = template.Value.Id.Value, TemplateFile = null, Bounds = null, Totals = null, Kind = WireFormat.Name(TaskKind.Statistics) };
                read++;
            }
            else
            {
                foreach (var field in template.Error!.Fields)
                {
                    problems.Add($"tasks[{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}].template", field.Code, field.Message);
                }
            }
        }

        form = form with { Tasks = rows };
        if (problems.HasErrors)
        {
            return await FormAsync(form, tree, problems.ToError(), null, [], templates, StatusCodes.Status400BadRequest, cancellationToken);
        }

        if (read > 0 || form.Action == DirectiveForm.ReadTemplateAction)
        {
            var note = read > 0
                ? "Đã đọc mẫu báo cáo. Xin kiểm tra các dòng, cột và ô cần điền mà hệ thống hiểu được bên dưới, chọn quy tắc kiểm tra rồi bấm “Tạo công văn”."
                : "Chưa có tệp mẫu nào được chọn để đọc.";
            return await FormAsync(form, tree, null, note, [], templates, StatusCodes.Status200OK, cancellationToken);
        }

        var (checkedDirective, _) = await registry.CheckAsync(form.ToInput(), cancellationToken);
        if (!checkedDirective.IsSuccess)
        {
            return await FormAsync(form, tree, checkedDirective.Error, null, [], templates, StatusCodes.Status400BadRequest, cancellationToken);
        }

        var warnings = DirectiveRegistration.Warnings(checkedDirective.Value, tree);
        if (warnings.Count > 0 && !form.Acknowledged)
        {
            return await FormAsync(form with { Acknowledged = true }, tree, null, "Xin đọc lưu ý dưới đây; nếu vẫn giữ cách giao như vậy, bấm “Tạo công văn” lần nữa.", warnings, templates, StatusCodes.Status200OK, cancellationToken);
        }

        var registered = await registry.RegisterAsync(form.ToInput(), cancellationToken);
        return registered.IsSuccess
            ? new SeeOther($"/office/directives/{registered.Value.Directive.Id.Value}?moi=1")
            : await FormAsync(form, tree, registered.Error, null, [], templates, StatusCodes.Status400BadRequest, cancellationToken);
    }

    /// <summary>The form again, with the templates its task rows name.</summary>
    private static async Task<RazorComponentResult> FormAsync(
        DirectiveForm form, UnitTree tree, Error? error, string? note, IReadOnlyList<RegistrationWarning> warnings, Domain.Statistics.ReportTemplates templates, int status, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, Domain.Statistics.ReportTemplate> { [Domain.Statistics.TemplateId.Official643Value] = Domain.Statistics.ReportTemplate.Official643 };
        foreach (var row in form.Tasks)
        {
            if (Domain.Statistics.TemplateId.Parse(row.Template) is { IsSuccess: true } id && await templates.GetAsync(id.Value, cancellationToken) is { } template)
            {
                known[row.Template] = template;
            }
        }

        return PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(form, tree, error, note) { Templates = known, Warnings = warnings }, status);
    }
}
