using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Functions.Hosting.Http;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Pages;

namespace ServerlessWorkflow.Functions.Features.ErrorReports;

/// <summary>
/// The office's queue of data-error reports: <c>GET /office/error-reports?status=</c>
/// (OfficeErrorReports: newest first, open ones by default) and <c>POST /office/error-reports/{code}</c>
/// (OfficeMoveErrorReport: the next status and a note, from a form with its token; back to the
/// queue with a confirmation, or the queue again with the problem shown).
/// </summary>
public static class ErrorReportQueuePage
{
    public const string Title = "Phản ánh sai sót dữ liệu";

    public static IEndpointRouteBuilder MapErrorReportQueue(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office/error-reports").RequireAuthorization(OfficeAuthentication.Policy).ExcludeFromDescription();
        office.MapGet("/", (HttpContext context, string? status, string? moved, ErrorReportDesk desk, CancellationToken cancellationToken) =>
            ShowAsync(context, status, moved, null, null, desk, cancellationToken)).WithName("OfficeErrorReports");
        office.MapPost("/{code}", MoveAsync).WithName("OfficeMoveErrorReport").DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> MoveAsync(string code, HttpContext context, ErrorReportDesk desk, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var moved = await desk.MoveAsync(code, form["status"].ToString(), form["note"].ToString(), cancellationToken);
        var back = form["view"].ToString() is { Length: > 0 and < 20 } view && ErrorReportStatuses.Parse(view).IsSuccess ? view : "open";
        return moved.IsSuccess
            ? new SeeOther($"/office/error-reports?status={back}&moved={moved.Value.Code.Value}")
            : await ShowAsync(context, back, null, code, moved.Error, desk, cancellationToken);
    }

    private static async Task<IResult> ShowAsync(HttpContext context, string? status, string? moved, string? failedCode, Error? error, ErrorReportDesk desk, CancellationToken cancellationToken)
    {
        var filter = ErrorReportStatuses.Parse(status);
        var all = await desk.ListAsync(filter.IsSuccess ? filter.Value : null, cancellationToken);
        var shown = (filter.IsSuccess ? all : all.Where(r => r.NextStatuses.Count > 0)).OrderByDescending(r => r.FiledAt).Take(500).ToList();
        var view = filter.IsSuccess ? ErrorReportStatuses.Wire(filter.Value) : "open";
        var tabs = new[] { ("open", "Đang mở") }.Concat(Enum.GetValues<ErrorReportStatus>().Select(s => (ErrorReportStatuses.Wire(s), ErrorReportStatuses.Name(s))));
        return OfficeLayout.Page(context, Title, Html.Of($"""
            <section>
            <h1>{Title}</h1>
            <p class="tabs">{Html.Join(tabs, t => t.Item1 == view ? Html.Of($"<strong>{t.Item2}</strong> ") : Html.Of($"<a href=\"/office/error-reports?status={t.Item1}\">{t.Item2}</a> "))}</p>
            {Html.When(moved is { Length: > 0 }, Html.Of($"<p class=\"notice\" role=\"status\">Đã cập nhật phản ánh {moved}.</p>"))}
            <p class="muted">{shown.Count} phản ánh. Đường dẫn gửi cho đảng viên: <a href="/bao-sai-sot">/bao-sai-sot</a>.</p>
            </section>
            {Html.Join(shown, r => Report(context, r, view, failedCode == r.Code.Value ? error : null))}
            """));
    }

    private static Markup Report(HttpContext context, ErrorReport r, string view, Error? error) => Html.Of($"""
        <section id="r-{r.Code.Value}">
        <h2>{r.Code.Value} · <span class="{(r.Status == ErrorReportStatus.New ? "warn" : r.Status == ErrorReportStatus.Resolved ? "ok" : "muted")}">{ErrorReportStatuses.Name(r.Status)}</span></h2>
        <p class="muted">Gửi lúc {VietnamTime.FormatDateTime(r.FiledAt)}{Html.When(r.UpdatedAt != r.FiledAt, Html.Of($" · cập nhật {VietnamTime.FormatDateTime(r.UpdatedAt)}"))}</p>
        <table>
        <tr><th>Đảng viên</th><td>{r.Input.MemberName}</td></tr>
        <tr><th>Chi bộ, đảng bộ</th><td>{r.Input.UnitName}</td></tr>
        <tr><th>Thông tin sai</th><td>{r.Input.Field}: “{r.Input.CurrentValue}” → đúng là “{r.Input.CorrectValue}”</td></tr>
        <tr><th>Liên hệ</th><td>{r.Input.Contact}</td></tr>
        {Html.When(r.ResolutionNote.Length > 0, Html.Of($"<tr><th>Ghi chú xử lý</th><td>{r.ResolutionNote}</td></tr>"))}
        </table>
        {Html.When(error is not null, Html.Of($"<p class=\"errors\" role=\"alert\">{(error is { Fields.Count: > 0 } ? error.Fields[0].Message : error?.Message)}</p>"))}
        {Html.When(r.NextStatuses.Count > 0, Html.Of($"""
            <form method="post" action="/office/error-reports/{r.Code.Value}">
            {OfficeForms.Field(context)}
            <input type="hidden" name="view" value="{view}">
            <label for="s-{r.Code.Value}">Chuyển sang</label>
            <select id="s-{r.Code.Value}" name="status">{Html.Join(r.NextStatuses, s => Html.Of($"<option value=\"{ErrorReportStatuses.Wire(s)}\">{ErrorReportStatuses.Name(s)}</option>"))}</select>
            <label for="n-{r.Code.Value}">Ghi chú (bắt buộc khi không xử lý)</label>
            <textarea id="n-{r.Code.Value}" name="note" maxlength="1000" rows="2"></textarea>
            <button type="submit">Cập nhật</button>
            </form>
            """))}
        </section>
        """);
}
