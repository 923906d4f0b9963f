using System.Globalization;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Reports;

/// <summary>
/// The heading and closing of the report in the usual layout of a Party committee's documents: on the
/// left the committee above (if any), the committee, the office, "*" and the number ("Số 15-BC/VPĐU");
/// on the right "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and date; at the end the recipients ("Nơi
/// nhận") on the left and the signer's title and name on the right.
/// </summary>
public sealed record ReportHeading(
    string Parent,
    string Committee,
    string Office,
    string Number,
    string Place,
    DateOnly Date,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> SignerTitle,
    string SignerName)
{
    public const string Motto = "ĐẢNG CỘNG SẢN VIỆT NAM";

    /// <summary>"Số 15-BC/VPĐU"; a number not given yet leaves room to write it by hand.</summary>
    public string NumberLine => "Số " + (Number.Length == 0 ? "       -BC/VPĐU" : Number);

    /// <summary>"Thanh Hóa, ngày 13 tháng 02 năm 2026" (the place left blank to fill in when not given).</summary>
    public string PlaceAndDate =>
        $"{(Place.Length == 0 ? "……………" : Place)}, ngày {Date.Day.ToString("00", CultureInfo.InvariantCulture)} tháng {Date.Month.ToString("00", CultureInfo.InvariantCulture)} năm {Date.Year.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The heading as the office typed it on the report's form (each field as sent; kept when it comes
/// back with problems): the committee above, the committee, the office, the number, the place, the
/// date (dd/MM/yyyy), the recipients and the signer's title (a line each), the signer's name.
/// </summary>
public sealed record ReportHeadingInput(
    string Parent,
    string Committee,
    string Office,
    string Number,
    string Place,
    string Date,
    string Recipients,
    string SignerTitle,
    string SignerName)
{
    public const int MaxLine = 200;
    public const int MaxLines = 10;

    public Result<ReportHeading> Validate()
    {
        var v = new Validation();
        var parent = v.Take(Text.Clean(Parent, "captren", MaxLine, required: false), "captren");
        var committee = v.Take(Text.Clean(Committee, "coquan", MaxLine), "coquan");
        var office = v.Take(Text.Clean(Office, "vanphong", MaxLine), "vanphong");
        var number = v.Take(Text.Clean(Number, "so", 50, required: false), "so");
        var place = v.Take(Text.Clean(Place, "noi", 100, required: false), "noi");
        if (!VietnamTime.TryParseDate(Date, out var date))
        {
            v.Add("ngay", "invalid-date", "Ngày phải viết dạng ngày/tháng/năm, ví dụ 13/02/2026.");
        }

        var recipients = Lines(v, Recipients, "noinhan");
        var title = Lines(v, SignerTitle, "chucvu");
        var signer = v.Take(Text.Clean(SignerName, "nguoiky", 100, required: false), "nguoiky");
        return v.HasErrors ? v.ToError() : new ReportHeading(parent!, committee!, office!, number!, place!, date, recipients, title, signer!);
    }

    private static List<string> Lines(Validation v, string text, string field)
    {
        var clean = v.Take(Text.Clean(text, field, MaxLine * MaxLines, required: false, multiline: true), field) ?? string.Empty;
        var lines = clean.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (lines.Count > MaxLines)
        {
            v.Add(field, "too-many-lines", $"Tối đa {MaxLines} dòng.");
        }

        return lines;
    }
}
