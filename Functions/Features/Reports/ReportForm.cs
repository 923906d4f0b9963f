using Microsoft.Extensions.Primitives;
using ServerlessWorkflow.Domain.Reports;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Functions.Features.Reports;

/// <summary>
/// The report's heading as the office's GET form sends it — captren, coquan, vanphong, so, noi, ngay,
/// noinhan, chucvu, nguoiky — each field not sent taking its default (settings, today); the same
/// query string makes the page and the .docx, so what is downloaded is what was shown.
/// </summary>
public static class ReportForm
{
    public static readonly string[] Fields = ["captren", "coquan", "vanphong", "so", "noi", "ngay", "noinhan", "chucvu", "nguoiky"];

    public static ReportHeadingInput Read(IQueryCollection query, ReportOptions options, string committee, DateTimeOffset now)
    {
        string Field(string name, string fallback) => query.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : fallback;
        return new ReportHeadingInput(
            Field("captren", options.ParentCommittee ?? string.Empty),
            Field("coquan", options.Committee ?? committee),
            Field("vanphong", "Văn phòng"),
            Field("so", string.Empty),
            Field("noi", options.Place ?? string.Empty),
            Field("ngay", VietnamTime.FormatDate(now)),
            Field("noinhan", "Thường trực Đảng ủy (để báo cáo)\nLưu Văn phòng"),
            Field("chucvu", "T/L Ban Thường vụ\nChánh Văn phòng"),
            Field("nguoiky", options.Signer ?? string.Empty));
    }

    /// <summary>The form's fields as a query string (after <c>?</c> or <c>&amp;</c>), to repeat them in the .docx link.</summary>
    public static string Query(ReportHeadingInput input) => string.Join('&', new[]
    {
        ("captren", input.Parent), ("coquan", input.Committee), ("vanphong", input.Office), ("so", input.Number), ("noi", input.Place),
        ("ngay", input.Date), ("noinhan", input.Recipients), ("chucvu", input.SignerTitle), ("nguoiky", input.SignerName),
    }.Select(f => f.Item1 + "=" + Uri.EscapeDataString(f.Item2)));

    /// <summary>A field's name as the form labels it.</summary>
    public static string FieldName(string field) => field switch
    {
        "captren" => "Cấp ủy cấp trên",
        "coquan" => "Cấp ủy",
        "vanphong" => "Cơ quan soạn",
        "so" => "Số báo cáo",
        "noi" => "Địa danh",
        "ngay" => "Ngày báo cáo",
        "noinhan" => "Nơi nhận",
        "chucvu" => "Thẩm quyền, chức vụ người ký",
        "nguoiky" => "Người ký",
        "tu" => "Từ tháng",
        "den" => "Đến tháng",
        _ => field,
    };
}
