using System.Globalization;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Features.Links;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Pages;

namespace ServerlessWorkflow.Functions.Features.Directives;

/// <summary>
/// The office's pages for directives: <c>GET /office</c> (OfficeDirectives: every directive with its
/// progress) and <c>GET /office/directives/{id}</c> (OfficeDirective: the units × tasks board with
/// each cell's state and escalation step, rates per level and per branch, search/filter/sort by
/// query string, and each unit's link to hand out). Creating a directive is <see cref="NewDirectivePage"/>.
/// </summary>
public static class DirectivePages
{
    public static IEndpointRouteBuilder MapDirectivePages(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office").RequireAuthorization(OfficeAuthentication.Policy).ExcludeFromDescription();
        office.MapGet("/", ListAsync).WithName("OfficeDirectives");
        office.MapGet("/directives/{id}", BoardAsync).WithName("OfficeDirective");
        office.MapNewDirective();
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IDirectiveStore store, DirectiveRegistry registry, UnitRegistry units, CancellationToken cancellationToken)
    {
        var directives = (await store.ListAsync(cancellationToken)).OrderByDescending(d => d.RegisteredAt).ToList();
        var tree = await units.TreeAsync(cancellationToken);
        var rows = new List<Markup>(directives.Count);
        foreach (var directive in directives)
        {
            var view = await registry.ViewAsync(directive.Id.Value, cancellationToken);
            var rates = view.IsSuccess ? DirectiveProgress.Of(view.Value.Assignments, tree).Overall : ProgressRates.Of(string.Empty, []);
            rows.Add(Html.Of($"""
                <tr>
                <td><a href="/office/directives/{directive.Id.Value}"><strong>{directive.Number}</strong></a><br><span class="muted">{VietnamTime.Format(directive.IssuedOn)}</span></td>
                <td>{directive.Subject}</td>
                <td>{directive.LastDeadline.Display}</td>
                <td>{rates.Completed}/{rates.Assignments} ({OfficeLayout.Percent(rates.CompletionRate)})</td>
                <td>{Html.When(rates.Overdue > 0, Html.Of($"<span class=\"late\">{rates.Overdue} quá hạn</span>"))}{Html.When(rates.Overdue == 0, Html.Text("—"))}</td>
                </tr>
                """));
        }

        return OfficeLayout.Page(context, "Công văn đang theo dõi", Html.Of($"""
            <section>
            <h1>Công văn đang theo dõi</h1>
            <p><a class="button" href="/office/directives/new">+ Tạo công văn mới</a></p>
            {(rows.Count == 0
                ? Html.Of($"<p class=\"muted\">Chưa có công văn nào. Bấm “Tạo công văn mới” để bắt đầu.</p>")
                : Html.Of($"""
                    <div class="scroll"><table>
                    <thead><tr><th>Số, ngày</th><th>Trích yếu</th><th>Hạn cuối</th><th>Hoàn thành</th><th>Quá hạn</th></tr></thead>
                    <tbody>{Html.Join(rows)}</tbody>
                    </table></div>
                    """))}
            </section>
            """));
    }

    private static async Task<IResult> BoardAsync(
        string id, HttpContext context, DirectiveRegistry registry, UnitRegistry units, IEscalationStore escalations, IOptions<UnitLinkOptions> links, CancellationToken cancellationToken)
    {
        var view = await registry.ViewAsync(id, cancellationToken);
        if (!view.IsSuccess)
        {
            return OfficeLayout.NotFound(context, "Không tìm thấy công văn");
        }

        var query = ReadQuery(context.Request.Query);
        var tree = await units.TreeAsync(cancellationToken);
        var ladders = await escalations.LaddersAsync(view.Value.Directive.Id, cancellationToken);
        var board = DirectiveBoard.Of(view.Value, tree, ladders, query);
        var d = board.Directive;
        var created = context.Request.Query.ContainsKey("moi");
        var unitLinks = registry.LinksFor(d).Select(l => (Name: tree.Find(l.UnitId)?.Name ?? l.UnitId.Value, Url: LinksFeature.UnitUrl(context.Request, links.Value, l.Token)))
            .OrderBy(l => l.Name, VietnameseCollation.Instance).ToList();
        return OfficeLayout.Page(context, $"Công văn {d.Number}", Html.Of($"""
            <section>
            {Html.When(created, Html.Of($"<p class=\"notice\" role=\"status\">Đã tạo công văn. Gửi cho từng đơn vị đường dẫn riêng của đơn vị (mục “Đường dẫn của các đơn vị” bên dưới).</p>"))}
            <p class="muted">Công văn số {d.Number}, ngày {VietnamTime.Format(d.IssuedOn)} — {d.Issuer}</p>
            <h1>{d.Subject}</h1>
            <ol>{Html.Join(d.Tasks, t => Html.Of($"<li><strong>{t.Title}</strong> — hạn {t.Deadline.Display} ({TaskKinds.Name(t.Kind)}){Html.When(t.Kind == TaskKind.Statistics, Html.Of($" · <a href=\"/office/directives/{d.Id.Value}/statistics\">Xem tổng hợp số liệu</a>"))}</li>"))}</ol>
            </section>
            <section>
            <h2>Tiến độ</h2>
            {Rates(board.Progress)}
            </section>
            <section>
            <h2>Đơn vị × nhiệm vụ</h2>
            {Filters(d, query)}
            <p class="muted">Hiển thị {board.Rows.Count}/{board.AllRows} đơn vị.</p>
            <div class="scroll"><table class="matrix">
            <thead><tr><th>Đơn vị</th>{Html.Join(d.Tasks, t => Html.Of($"<th title=\"{t.Title}\">{t.Id.Value[1..]}. {Shorten(t.Title)}<br><span class=\"muted\">hạn {t.Deadline.Display}</span></th>"))}</tr></thead>
            <tbody>{Html.Join(board.Rows, r => Html.Of($"<tr><th scope=\"row\">{r.Name}<br><span class=\"muted\">{(r.Unit is null ? "(không còn trong danh sách)" : UnitLevels.Name(r.Unit.Level))}</span></th>{Html.Join(r.Cells, Cell)}</tr>"))}</tbody>
            </table></div>
            </section>
            <section>
            <details{Html.When(created, new Markup(" open"))}>
            <summary>Đường dẫn của các đơn vị ({unitLinks.Count})</summary>
            <p class="muted">Mỗi đơn vị chỉ dùng đường dẫn của mình; ai có đường dẫn có thể báo cáo thay đơn vị.</p>
            <table>{Html.Join(unitLinks, l => Html.Of($"<tr><td>{l.Name}</td><td><input readonly aria-label=\"Đường dẫn của {l.Name}\" value=\"{l.Url}\"></td></tr>"))}</table>
            </details>
            <p><a href="/office/outbox">Thư nhắc, đôn đốc đã gửi và sắp gửi</a></p>
            </section>
            """));
    }

    /// <summary>A cell: the state in words (on time, late N days, overdue N days, not yet due), and the escalation step reached.</summary>
    private static Markup Cell(BoardCell? cell)
    {
        if (cell is null)
        {
            return Html.Of($"<td class=\"na\">—</td>");
        }

        var s = cell.Standing;
        var days = s.DaysOverdue.ToString(CultureInfo.InvariantCulture);
        var (css, text) = s.State switch
        {
            AssignmentState.SubmittedOnTime => ("ok", $"Đúng hạn{(s.CompletedAt is { } at ? " · " + VietnamTime.FormatDate(at) : string.Empty)}"),
            AssignmentState.SubmittedLate => ("lateok", $"Muộn {days} ngày"),
            AssignmentState.Overdue => ("late", $"Quá hạn {days} ngày"),
            _ => ("wait", s.Latest?.Status == SubmissionStatus.InProgress ? "Đang thực hiện" : "Chưa đến hạn"),
        };
        return Html.Of($"<td class=\"cell {css}\">{text}{Html.When(cell.Reached is not null, Html.Of($"<br><span class=\"badge\">{cell.Reached?.DisplayName}</span>"))}</td>");
    }

    /// <summary>A task's title cut to a column head's length at a word boundary (the full title is in the list above and the tooltip).</summary>
    private static string Shorten(string title) =>
        title.Length <= 60 ? title : title[..(title.LastIndexOf(' ', 60) is > 20 and var cut ? cut : 60)] + "…";

    private static Markup Rates(DirectiveProgress progress) => Html.Of($"""
        <p>Hoàn thành <strong>{progress.Overall.Completed}/{progress.Overall.Assignments}</strong> ({OfficeLayout.Percent(progress.Overall.CompletionRate)}),
        đúng hạn {OfficeLayout.Percent(progress.Overall.TimelinessRate)}, quá hạn chưa làm <strong class="{(progress.Overall.Overdue > 0 ? "late" : "ok")}">{progress.Overall.Overdue}</strong>.</p>
        <div class="scroll"><table>
        <thead><tr><th>Nhóm</th><th>Hoàn thành</th><th>Tỷ lệ hoàn thành</th><th>Tỷ lệ đúng hạn</th><th>Quá hạn</th></tr></thead>
        <tbody>
        <tr><th colspan="5">Theo cấp</th></tr>
        {Html.Join(progress.ByLevel, RateRow)}
        <tr><th colspan="5">Theo khối</th></tr>
        {Html.Join(progress.ByBranch, RateRow)}
        </tbody>
        </table></div>
        <p class="muted">Tỷ lệ đúng hạn tính trên các nhiệm vụ đã hoàn thành hoặc đã quá hạn; nhiệm vụ chưa đến hạn không tính.</p>
        """);

    private static Markup RateRow(ProgressRates r) =>
        Html.Of($"<tr><td>{r.Name}</td><td>{r.Completed}/{r.Assignments}</td><td>{OfficeLayout.Percent(r.CompletionRate)}</td><td>{OfficeLayout.Percent(r.TimelinessRate)}</td><td>{r.Overdue}</td></tr>");

    private static Markup Filters(Directive d, BoardQuery query) => Html.Of($"""
        <form method="get" action="/office/directives/{d.Id.Value}" class="filters">
        <div><label for="q">Tìm đơn vị (gõ không dấu cũng được)</label>
        <input id="q" name="q" type="search" value="{query.Search}" placeholder="ví dụ: so tai chinh"></div>
        <div><label for="cap">Cấp</label>
        <select id="cap" name="cap"><option value="">Tất cả các cấp</option>{Html.Join(Enum.GetValues<UnitLevel>(), l => Html.Of($"<option value=\"{(int)l}\"{Html.Selected(query.Level == l)}>{UnitLevels.Name(l)}</option>"))}</select></div>
        <div><label for="tt">Tình trạng</label>
        <select id="tt" name="tt"><option value="">Mọi tình trạng</option>{Html.Join(StateFilters, s => Html.Of($"<option value=\"{s.Key}\"{Html.Selected(query.State == s.State)}>{s.Name}</option>"))}</select></div>
        <div><label for="sx">Sắp xếp</label>
        <select id="sx" name="sx">{Html.Join(Sorts, s => Html.Of($"<option value=\"{s.Key}\"{Html.Selected(query.Sort == s.Sort)}>{s.Name}</option>"))}</select></div>
        <div><button type="submit">Lọc</button> <a href="/office/directives/{d.Id.Value}">Bỏ lọc</a></div>
        </form>
        """);

    private static readonly (string Key, AssignmentState State, string Name)[] StateFilters =
    [
        ("qua-han", AssignmentState.Overdue, "Có nhiệm vụ quá hạn"),
        ("muon", AssignmentState.SubmittedLate, "Có nhiệm vụ hoàn thành muộn"),
        ("dung-han", AssignmentState.SubmittedOnTime, "Có nhiệm vụ hoàn thành đúng hạn"),
        ("chua-den-han", AssignmentState.Pending, "Có nhiệm vụ chưa đến hạn"),
    ];

    private static readonly (string Key, BoardSort Sort, string Name)[] Sorts =
    [
        ("ten", BoardSort.Name, "Theo tên đơn vị (A–Z)"),
        ("cap", BoardSort.Level, "Theo cấp, rồi tên"),
        ("tre", BoardSort.Lateness, "Chậm nhất lên đầu"),
    ];

    /// <summary>The board's query string: q (name), cap (level 1–4), tt (state), sx (order). Unknown values are ignored, not errors.</summary>
    public static BoardQuery ReadQuery(IQueryCollection query)
    {
        var search = query["q"].ToString().Trim();
        UnitLevel? level = UnitLevels.Parse(query["cap"].ToString()) is { IsSuccess: true } l ? l.Value : null;
        var state = StateFilters.FirstOrDefault(s => s.Key == query["tt"].ToString());
        var sort = Sorts.FirstOrDefault(s => s.Key == query["sx"].ToString());
        return new BoardQuery(search.Length is > 0 and <= 100 ? search : null, level, state.Key is null ? null : state.State, sort.Key is null ? BoardSort.Name : sort.Sort);
    }
}
