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
using ServerlessWorkflow.Functions.Features.CheckDeadlines;
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
        var office = app.MapGroup("/office");
        office.MapGet("/", ListAsync).WithName("OfficeDirectives").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc).AsPage();
        office.MapGet("/directives/{id}", BoardAsync).WithName("OfficeDirective").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc).AsPage();
        office.MapGet("/directives/new", NewAsync).WithName("NewDirective").RequireOfficeRole(OfficeRole.VanPhong).AsPage();
        office.MapPost("/directives/new", CreateAsync).WithName("NewDirectivePost").RequireOfficeRole(OfficeRole.VanPhong).WithFormBody<DirectiveForm>(MaxFormBody).AsPage();
        app.MapEditDirectivePages();
        return app;
    }

    /// <summary>The list: directives followed by default, or those closed, or all (<c>xem</c>), searched by number, subject or issuer without diacritics (<c>q</c>); the directives' headers and their counts and the closures (three queries, whatever their number).</summary>
    private static async Task<RazorComponentResult> ListAsync(
        string? q, string? xem, ClaimsPrincipal user, OfficeDesk desk, IDirectiveStateStore states, CancellationToken cancellationToken)
    {
        var closed = await states.ClosuresAsync(cancellationToken);
        var filter = DirectiveListModel.ReadFilter(xem);
        var search = (q ?? string.Empty).Trim() is { Length: > 0 and <= 100 } typed ? typed : null;
        var rows = (await desk.DirectivesAsync(cancellationToken))
            .Select(d => new DirectiveListRow(d.Directive, d.Rates) { Closure = closed.GetValueOrDefault(d.Directive.Id) })
            .Where(r => filter switch
            {
                DirectiveListFilter.Open => r.Closure is null,
                DirectiveListFilter.Closed => r.Closure is not null,
                _ => true,
            } && DirectiveListModel.Matches(r.Directive, search))
            .ToList();
        return PageResults.Render<DirectiveListPage, DirectiveListModel>(new DirectiveListModel(rows, CanCreate: user.IsInRole(OfficeRoles.Code(OfficeRole.VanPhong)))
        {
            Filter = filter,
            Search = search,
            ClosedCount = closed.Count,
        });
    }

    /// <summary>The board: the directive's read model (one query), the unit tree, the ladders; the rows of one page, and the links of those rows.</summary>
    private static async Task<RazorComponentResult> BoardAsync(
        string id, string? q, string? cap, string? tt, string? sx, string? trang, string? moi, string? da, string? sua, HttpRequest request, ClaimsPrincipal user,
        OfficeDesk desk, DirectiveRegistry registry, UnitRegistry units, IEscalationStore escalations, IDirectiveStateStore states, IDirectiveEditStore edits, IOptions<UnitLinkOptions> links,
        IOptions<EscalationOptions> escalation, CancellationToken cancellationToken)
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
        var versions = await states.LinkVersionsAsync(board.Directive.Id, cancellationToken);
        var unitLinks = shown
            .Select(r => new UnitLinkLine(r.Name, UnitLinks.UnitUrl(request, links.Value, registry.LinkFor(board.Directive, r.UnitId, versions).Token)) { UnitId = r.UnitId.Value })
            .OrderBy(l => l.Name, VietnameseCollation.Instance).ToList();
        var closure = await states.ClosureAsync(board.Directive.Id, cancellationToken);
        return PageResults.Render<BoardPage, BoardModel>(new BoardModel(board, query, shown, page, unitLinks, Created: moi is not null, view.Value.Days)
        {
            Closure = closure,
            Done = da,
            TellsUnits = escalation.Value.TellUnits,
            // A closed directive is not edited (open it again first).
            CanEdit = closure is null && user.IsInRole(OfficeRoles.Code(OfficeRole.VanPhong)),
            Edited = sua is not null,
            Changes = (await edits.ChangesAsync(board.Directive, cancellationToken)).OrderByDescending(c => c.Revision).ToList(),
        });
    }

    private static async Task<RazorComponentResult> NewAsync(UnitRegistry units, ICalendarSource calendars, CancellationToken cancellationToken) =>
        PageResults.Render<NewDirectivePage, NewDirectiveModel>(new NewDirectiveModel(DirectiveForm.Empty.WithIdempotencyKey(), await units.TreeAsync(cancellationToken), null, null, await calendars.CurrentAsync(cancellationToken)));

    /// <summary>
    /// "Gợi ý": the form again with what the pasted dispatch says filled in (number, date, issuer,
    /// subject where empty; its tasks, with or without deadline, and the units they name); "Xem hạn": the form again with
    /// each task's last day and how it was counted; "Đọc mẫu" (or a template file attached): the form
    /// again with what was read from each file, to check before creating; "Tạo": the board of the new
    /// directive — after the office has seen, once, what will be sent for a task whose deadline has
    /// already passed (or ticked "Không nhắc"), any warning about units counted within others, and
    /// the directives of the year that already carry its number (confirmed for that number) — or
    /// the form again with every problem and everything typed. The form's hidden token is the
    /// registration's idempotency key: a double press or a resubmitted post shows the board of the
    /// one directive it created.
    /// </summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> CreateAsync(
        Body<DirectiveForm> body, ClaimsPrincipal user, DirectiveRegistry registry, RegistrationDesk desk, UnitRegistry units, ICalendarSource calendars, Domain.Statistics.ReportTemplates templates,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var tree = await units.TreeAsync(cancellationToken);
        var calendar = await calendars.CurrentAsync(cancellationToken);
        if (body.Refusal is { } refused)
        {
            return await FormAsync(new(DirectiveForm.Empty, tree, refused.AsError(), null, calendar), templates, refused.Status, cancellationToken);
        }

        var form = body.Value;
        var actor = user.ActorOf();
        var key = IdempotencyKey.Parse(form.IdempotencyKey, actor) is { IsSuccess: true } parsed ? parsed.Value : null;
        if (key is null)
        {
            form = form with { IdempotencyKey = DirectiveForm.NewIdempotencyKey() };
            key = IdempotencyKey.Parse(form.IdempotencyKey, actor).Value;
        }
        else if (form.Action != DirectiveForm.SuggestAction && form.Action != DirectiveForm.CheckAction && form.Action != DirectiveForm.ReadTemplateAction
            && await desk.ClaimOfAsync(key, cancellationToken) is not null)
        {
            // Posted again after it created its directive (a double press, a resubmitted post): the registry answers with that directive.
            return await RegisterAsync(form, actor, key, desk, tree, calendar, templates, null, cancellationToken);
        }

        var now = time.GetUtcNow();
        IReadOnlyDictionary<int, string> Late(DirectiveForm f) => NewDirectiveModel.LateNoticesFor(f, now, calendar, d => Ladder.Forecast(registry.RuleWith(calendar), d, now));
        if (form.Action == DirectiveForm.SuggestAction)
        {
            var reading = DispatchReader.Read(form.Dispatch, new SuggestionContext(calendar, VietnamTime.DateOf(now), form.IssuedDate));
            var (suggested, outcome) = form.WithReading(reading, tree);
            return await FormAsync(new(suggested, tree, null, NewDirectiveModel.SuggestionNote(outcome), calendar, Late(suggested)), templates, StatusCodes.Status200OK, cancellationToken);
        }

        if (form.Action == DirectiveForm.AddTaskAction)
        {
            var more = form with { BlankRows = new NewDirectiveModel(form, tree, null, null, calendar).BlankRowsShown + 1 };
            return await FormAsync(new(more, tree, null, "Đã thêm một ô nhiệm vụ ở cuối mẫu. Công văn chưa được tạo.", calendar, Late(more)), templates, StatusCodes.Status200OK, cancellationToken);
        }

        if (form.Action == DirectiveForm.CheckAction)
        {
            return await FormAsync(new(form, tree, null, "Hạn của từng nhiệm vụ được tính và ghi ngay dưới ô hạn. Công văn chưa được tạo.", calendar, Late(form)), templates, StatusCodes.Status200OK, cancellationToken);
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
        var late = Late(form);
        if (problems.HasErrors)
        {
            return await FormAsync(new(form, tree, problems.ToError(), null, calendar, late), templates, StatusCodes.Status400BadRequest, cancellationToken);
        }

        if (read > 0 || form.Action == DirectiveForm.ReadTemplateAction)
        {
            var note = read > 0
                ? "Đã đọc mẫu báo cáo. Xin kiểm tra các dòng, cột và ô cần điền mà hệ thống hiểu được bên dưới, chọn quy tắc kiểm tra rồi bấm “Tạo công văn”."
                : "Chưa có tệp mẫu nào được chọn để đọc.";
            return await FormAsync(new(form, tree, null, note, calendar, late), templates, StatusCodes.Status200OK, cancellationToken);
        }

        var (checkedDirective, _) = await registry.CheckAsync(form.ToInput(), calendar, cancellationToken);
        if (!checkedDirective.IsSuccess)
        {
            return await FormAsync(new(form, tree, checkedDirective.Error, null, calendar, late), templates, StatusCodes.Status400BadRequest, cancellationToken);
        }

        if (late.Count > 0 && !form.LateSeen)
        {
            var note = $"Có {Format.Count(late.Count)} nhiệm vụ đã quá hạn khi tạo. Xem dưới mỗi nhiệm vụ hệ thống sẽ gửi thư gì và khi nào; đánh dấu “Không nhắc” nếu chỉ cần ghi nhận, rồi bấm “Tạo công văn” lần nữa.";
            return await FormAsync(new(form with { LateSeen = true }, tree, null, note, calendar, late), templates, StatusCodes.Status200OK, cancellationToken);
        }

        var warnings = DirectiveRegistration.Warnings(checkedDirective.Value, tree);
        if (warnings.Count > 0 && !form.Acknowledged)
        {
            return await FormAsync(
                new(form with { Acknowledged = true }, tree, null, "Xin đọc lưu ý dưới đây; nếu vẫn giữ cách giao như vậy, bấm “Tạo công văn” lần nữa.", calendar, late) { Warnings = warnings },
                templates, StatusCodes.Status200OK, cancellationToken);
        }

        var number = DirectiveNumbers.Normalize(checkedDirective.Value.Number);
        if (form.SameNumberSeen != number)
        {
            var same = await desk.SameNumberAsync(checkedDirective.Value.Number, checkedDirective.Value.IssuedOn, null, cancellationToken);
            if (same.Count > 0 && await desk.ClaimOfAsync(key, cancellationToken) is { } claim)
            {
                // A double press whose first post has just created its directive: not a number used twice.
                same = same.Where(d => d.Id != claim.DirectiveId).ToList();
            }

            if (same.Count > 0)
            {
                return await FormAsync(
                    new(form with { SameNumberSeen = number }, tree, null, "Số công văn này đã được dùng cho công văn khác trong năm. Xin xem dưới đây; nếu đúng là công văn mới, bấm “Tạo công văn” lần nữa.", calendar, late) { SameNumber = same },
                    templates, StatusCodes.Status200OK, cancellationToken);
            }
        }

        return await RegisterAsync(form, actor, key, desk, tree, calendar, templates, late, cancellationToken);
    }

    /// <summary>
    /// Registers what the form holds under its token: the new directive's board; the board of the one
    /// an earlier post of this form created; or the form again — with its problems, or, when the form
    /// was posted with other content after it had created a directive, with a link to that directive
    /// and a fresh token (pressing "Tạo công văn" again then creates another).
    /// </summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> RegisterAsync(
        DirectiveForm form, Domain.Audit.AuditActor actor, IdempotencyKey key, RegistrationDesk desk, UnitTree tree, WorkingCalendar calendar, Domain.Statistics.ReportTemplates templates,
        IReadOnlyDictionary<int, string>? late, CancellationToken cancellationToken)
    {
        var registered = await desk.RegisterAsync(form.ToInput(), actor, key, cancellationToken);
        if (registered.IsSuccess)
        {
            return new SeeOther($"/office/directives/{registered.Value.Registered.Directive.Id.Value}?moi=1");
        }

        if (registered.Error!.Code == "idempotency-key-reused" && await desk.ClaimOfAsync(key, cancellationToken) is { } claim)
        {
            return await FormAsync(
                new(form with { IdempotencyKey = DirectiveForm.NewIdempotencyKey() }, tree, null, "Biểu mẫu này đã được dùng để tạo một công văn, nên công văn chưa được tạo thêm. Những gì vừa nhập vẫn được giữ; nếu muốn tạo thêm một công văn mới, bấm “Tạo công văn” lần nữa.", calendar, late) { CreatedBefore = claim.DirectiveId },
                templates, StatusCodes.Status409Conflict, cancellationToken);
        }

        return await FormAsync(new(form, tree, registered.Error, null, calendar, late), templates, StatusCodes.Status400BadRequest, cancellationToken);
    }

    /// <summary>The form again (<paramref name="model"/>), with the templates its task rows name.</summary>
    private static async Task<RazorComponentResult> FormAsync(NewDirectiveModel model, Domain.Statistics.ReportTemplates templates, int status, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, Domain.Statistics.ReportTemplate> { [Domain.Statistics.TemplateId.Official643Value] = Domain.Statistics.ReportTemplate.Official643 };
        foreach (var row in model.Form.Tasks)
        {
            if (Domain.Statistics.TemplateId.Parse(row.Template) is { IsSuccess: true } id && await templates.GetAsync(id.Value, cancellationToken) is { } template)
            {
                known[row.Template] = template;
            }
        }

        return PageResults.Render<NewDirectivePage, NewDirectiveModel>(model with { Templates = known, Form = model.Form.WithIdempotencyKey() }, status);
    }
}
