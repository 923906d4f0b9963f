using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.ErrorReports;

namespace ServerlessWorkflow.Functions.Features.ErrorReports;

/// <summary>The public form: what was typed (kept when it comes back with problems), the problems, and how long closed reports keep the member's details (the notice says it).</summary>
public sealed record ErrorReportFormModel(FileErrorReportRequest? Values, Error? Error, int RetentionDays)
{
    public const string Title = "Phản ánh thông tin đảng viên bị sai";

    /// <summary>The form's fields: name, label, hint, whether required, longest value.</summary>
    public static readonly IReadOnlyList<(string Name, string Label, string Hint, bool Required, int Max)> Fields =
    [
        ("memberName", "Họ và tên đảng viên", "Người có thông tin bị sai", true, 100),
        ("unitName", "Chi bộ, đảng bộ nơi sinh hoạt", "Ví dụ: Chi bộ Phòng Tổng hợp", true, 200),
        ("field", "Thông tin bị sai", "Ví dụ: ngày sinh, số định danh, nơi cư trú", true, 100),
        ("currentValue", "Thông tin đang ghi (sai)", "Như đang hiển thị trên hệ thống", false, 500),
        ("correctValue", "Thông tin đúng", "Thông tin cần sửa lại", true, 500),
        ("contact", "Số điện thoại hoặc email liên hệ", "Để Ban Xây dựng Đảng liên hệ khi cần", true, 200),
    ];

    /// <summary>A field's label, for the problems listed above the form.</summary>
    public static string Label(string field) => field == "consent" ? "Đồng ý" : Fields.FirstOrDefault(f => f.Name == field).Label ?? field;

    /// <summary>Whether the consent box was ticked when the form came back.</summary>
    public bool Consented => ErrorReportConsent.Given(Values?.Consent);

    /// <summary>What was typed in <paramref name="field"/>.</summary>
    public string? Typed(string field) => Values is null ? null : field switch
    {
        "memberName" => Values.MemberName,
        "unitName" => Values.UnitName,
        "field" => Values.Field,
        "currentValue" => Values.CurrentValue,
        "correctValue" => Values.CorrectValue,
        "contact" => Values.Contact,
        _ => null,
    };
}

/// <summary>A report's page for its reporter; <see cref="JustFiled"/> right after the form was sent.</summary>
public sealed record ErrorReportStatusModel(Domain.ErrorReports.ErrorReport Report, bool JustFiled);
