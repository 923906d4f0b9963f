using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Functions.Features.Submissions;
using ServerlessWorkflow.Functions.Pages;

namespace ServerlessWorkflow.Functions.Features.ErrorReports;

/// <summary>The public pages for data-error reports: the form (what the Google Form did) and a report's status by its code.</summary>
public static class ErrorReportPages
{
    public const string Title = "Phản ánh thông tin đảng viên bị sai";

    private static readonly (string Name, string Label, string Hint, bool Required, int Max)[] Fields =
    [
        ("memberName", "Họ và tên đảng viên", "Người có thông tin bị sai", true, 100),
        ("unitName", "Chi bộ, đảng bộ nơi sinh hoạt", "Ví dụ: Chi bộ Phòng Tổng hợp", true, 200),
        ("field", "Thông tin bị sai", "Ví dụ: ngày sinh, số định danh, nơi cư trú", true, 100),
        ("currentValue", "Thông tin đang ghi (sai)", "Như đang hiển thị trên hệ thống", false, 500),
        ("correctValue", "Thông tin đúng", "Thông tin cần sửa lại", true, 500),
        ("contact", "Số điện thoại hoặc email liên hệ", "Để Ban Xây dựng Đảng liên hệ khi cần", true, 200),
    ];

    public static Markup Form(IReadOnlyDictionary<string, string>? values, Error? error) => Html.Of($"""
        <section>
        <h1>{Title}</h1>
        <p>Đồng chí phát hiện thông tin của đảng viên trên Hệ thống bị sai? Điền biểu mẫu dưới đây; Ban Xây dựng Đảng sẽ xem xét và sửa. Sau khi gửi, đồng chí nhận một <strong>mã theo dõi</strong> để xem kết quả xử lý.</p>
        {UnitPageView.Errors(error)}
        <form method="post" action="/api/error-reports">
        {Html.Join(Fields, f => Html.Of($"""
            <label for="{f.Name}">{f.Label}{Html.When(!f.Required, Html.Of($" <span class=\"muted\">(không bắt buộc)</span>"))}</label>
            <input id="{f.Name}" name="{f.Name}" maxlength="{f.Max}" placeholder="{f.Hint}" value="{values?.GetValueOrDefault(f.Name)}"{(f.Required ? new Markup(" required") : Markup.Empty)}>
            """))}
        <button type="submit">Gửi phản ánh</button>
        </form>
        </section>
        <section><h2>Đã gửi phản ánh?</h2>
        <form method="get" action="/api/error-reports/tra-cuu">
        <label for="code">Mã theo dõi</label><input id="code" name="code" maxlength="8" autocomplete="off">
        <button type="submit">Xem kết quả</button>
        </form></section>
        """);

    public static Markup Status(ErrorReport report, bool justFiled) => Html.Of($"""
        <section>
        {Html.When(justFiled, Html.Of($"<p class=\"notice\" role=\"status\">Đã nhận phản ánh. Xin ghi lại mã theo dõi để xem kết quả xử lý.</p>"))}
        <h1>Mã theo dõi: {report.Code.Value}</h1>
        <p>Thông tin phản ánh: <strong>{report.Input.Field}</strong></p>
        <p>Gửi lúc: {VietnamTime.FormatDateTime(report.FiledAt)}</p>
        <p>Tình trạng: <strong>{ErrorReportStatuses.Name(report.Status)}</strong> (cập nhật {VietnamTime.FormatDateTime(report.UpdatedAt)})</p>
        {Html.When(report.ResolutionNote.Length > 0, Html.Of($"<p>Ghi chú của Ban Xây dựng Đảng: {report.ResolutionNote}</p>"))}
        <p><a href="/bao-sai-sot">Gửi phản ánh khác</a></p>
        </section>
        """);
}
