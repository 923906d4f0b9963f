using ServerlessWorkflow.Functions.Hosting.Security;

namespace ServerlessWorkflow.Functions.Pages;

/// <summary>
/// The shell of the office's pages: the same layout as every page, with the office's menu
/// (directives, new directive, error reports, outbox) and a sign-out button (a form with its token).
/// </summary>
public static class OfficeLayout
{
    public static IResult Page(HttpContext context, string title, Markup body, int statusCode = StatusCodes.Status200OK) =>
        PageLayout.Page(title, body, statusCode, Html.Of($"""
            <nav class="office" aria-label="Menu văn phòng">
            <a href="/office"><strong>Theo dõi công văn</strong></a>
            <a href="/office/directives/new">Tạo công văn</a>
            <a href="/office/error-reports">Phản ánh sai sót</a>
            <a href="/office/outbox">Thư đã gửi</a>
            <form method="post" action="/office/logout">{OfficeForms.Field(context)}<button type="submit" class="link">Đăng xuất</button></form>
            </nav>
            """), wide: true);

    /// <summary>404 for an office page: what was not found, why if known, and the way back to the directives.</summary>
    public static IResult NotFound(HttpContext context, string title, string? reason = null) =>
        Page(context, title, Html.Of($"<section><h1>{title}</h1>{Html.When(reason is not null, Html.Of($"<p>{reason}</p>"))}<p><a href=\"/office\">Về danh sách công văn</a></p></section>"), StatusCodes.Status404NotFound);

    /// <summary>A percentage for people: "83 %", or "—" when there is nothing to count.</summary>
    public static string Percent(double? rate) =>
        rate is { } r ? Math.Round(r * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " %" : "—";
}
