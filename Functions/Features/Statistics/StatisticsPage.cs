using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Pages;

namespace ServerlessWorkflow.Functions.Features.Statistics;

/// <summary>
/// <c>GET /office/directives/{id}/statistics</c> (OfficeStatistics): the consolidated 7×4 table, one
/// bar chart per row across the four levels (inline SVG: no script, nothing to load), which units
/// reported, which were rejected (with their first errors) and which are missing, and the .xlsx download.
/// </summary>
public static class StatisticsPage
{
    public static IEndpointRouteBuilder MapStatisticsPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/office/directives/{id}/statistics", ShowAsync).WithName("OfficeStatistics").RequireAuthorization(OfficeAuthentication.Policy).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ShowAsync(string id, string? taskId, HttpContext context, IDirectiveStore directives, IStatisticsStore store, UnitRegistry units, CancellationToken cancellationToken)
    {
        var read = await ConsolidatedReport.ReadAsync(id, taskId, directives, store, cancellationToken);
        if (!read.IsSuccess)
        {
            return OfficeLayout.NotFound(context, "Không tìm thấy số liệu", read.Error!.Message);
        }

        var report = read.Value;
        var tree = await units.TreeAsync(cancellationToken);
        string NameOf(UnitReport u) => tree.Find(u.UnitId)?.Name ?? u.UnitId.Value;
        var d = report.Directive;
        var byState = report.Units.ToLookup(u => u.State);
        var totals = report.Totals.ToRows();
        return OfficeLayout.Page(context, $"Số liệu — {d.Number}", Html.Of($"""
            <section>
            <p class="muted"><a href="/office/directives/{d.Id.Value}">← Công văn số {d.Number}, ngày {VietnamTime.Format(d.IssuedOn)}</a></p>
            <h1>{report.Task.Title}</h1>
            <p>Đã báo cáo <strong class="ok">{report.Count(UnitReportState.Accepted)}</strong> · bị từ chối <strong class="late">{report.Count(UnitReportState.Rejected)}</strong> · chưa báo cáo <strong class="warn">{report.Count(UnitReportState.Missing)}</strong> / {report.Units.Count} đơn vị.</p>
            <p><a class="button" href="/api/directives/{d.Id.Value}/statistics.xlsx?taskId={report.Task.Id.Value}">Tải bảng tổng hợp (.xlsx)</a></p>
            </section>
            <section>
            <h2>Bảng tổng hợp</h2>
            <div class="scroll"><table class="figures">
            <thead><tr><th>STT</th><th>Nội dung</th>{Html.Join(StatisticsTemplate.ColumnLabels, c => Html.Of($"<th>{c}</th>"))}</tr></thead>
            <tbody>{Html.Join(Enumerable.Range(0, StatisticsTemplate.RowCount), r => Html.Of($"<tr><td>{r + 1}</td><td>{StatisticsTemplate.RowLabels[r]}</td>{Html.Join(totals[r], v => Html.Of($"<td class=\"num\">{Number(v)}</td>"))}</tr>"))}</tbody>
            </table></div>
            </section>
            <section>
            <h2>Biểu đồ theo cấp</h2>
            <div class="charts">{Html.Join(Enumerable.Range(0, StatisticsTemplate.RowCount), r => Chart(r, totals[r]))}</div>
            </section>
            <section>
            <h2>Tình hình báo cáo của các đơn vị</h2>
            <h3>Bị từ chối ({report.Count(UnitReportState.Rejected)})</h3>
            {List(byState[UnitReportState.Rejected], NameOf, u => Html.Of($"<ul class=\"errors\">{Html.Join((u.Latest?.Errors ?? []).Take(3), e => Html.Of($"<li>{e.Message}</li>"))}</ul>"))}
            <h3>Chưa báo cáo ({report.Count(UnitReportState.Missing)})</h3>
            {List(byState[UnitReportState.Missing], NameOf, _ => Markup.Empty)}
            <h3>Đã báo cáo ({report.Count(UnitReportState.Accepted)})</h3>
            {List(byState[UnitReportState.Accepted], NameOf, u => u.Latest is { } l ? Html.Of($" <span class=\"muted\">· tệp lúc {VietnamTime.FormatDateTime(l.ReceivedAt)}</span>") : Markup.Empty)}
            </section>
            """));
    }

    private static Markup List(IEnumerable<UnitReport> units, Func<UnitReport, string> name, Func<UnitReport, Markup> detail)
    {
        var sorted = units.OrderBy(name, VietnameseCollation.Instance).ToList();
        return sorted.Count == 0
            ? Html.Of($"<p class=\"muted\">Không có.</p>")
            : Html.Of($"<ul>{Html.Join(sorted, u => Html.Of($"<li>{name(u)}{detail(u)}</li>"))}</ul>");
    }

    /// <summary>Row <paramref name="row"/>'s four figures as horizontal bars scaled to the row's largest, each labelled with its level and value.</summary>
    private static Markup Chart(int row, int[] values)
    {
        const int BarWidth = 200;
        var max = Math.Max(1, values.Max());
        return Html.Of($"""
            <figure class="chart">
            <figcaption>{row + 1}. {StatisticsTemplate.RowLabels[row]}</figcaption>
            <svg viewBox="0 0 420 {values.Length * 26}" width="100%" role="img" aria-label="{StatisticsTemplate.RowLabels[row]} theo cấp">
            {Html.Join(Enumerable.Range(0, values.Length), c => Html.Of($"""
                <text x="0" y="{(c * 26) + 17}" font-size="12">{StatisticsTemplate.ColumnLabels[c]}</text>
                <rect x="160" y="{(c * 26) + 4}" width="{Math.Max(1, values[c] * BarWidth / max)}" height="18" fill="#b3261e"></rect>
                <text x="{166 + (values[c] * BarWidth / max)}" y="{(c * 26) + 17}" font-size="12">{Number(values[c])}</text>
                """))}
            </svg>
            </figure>
            """);
    }

    /// <summary>Figures as Vietnamese write them: 1.234.</summary>
    private static string Number(int value) => value.ToString("#,0", VietnamTime.Culture);
}
