namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>Why a statistics upload is refused at once, before anything is stored.</summary>
public enum UploadRefusal
{
    /// <summary>Larger than <see cref="UploadRefusals.MaxBytes"/>.</summary>
    TooLarge,

    /// <summary>The post could not be read.</summary>
    Unreadable,

    /// <summary>The post carried no file (or an empty one without a name).</summary>
    NoFile,

    /// <summary>A file with no content.</summary>
    Empty,

    /// <summary>An Excel 97–2003 workbook.</summary>
    Xls,

    /// <summary>An OpenDocument spreadsheet.</summary>
    Ods,

    /// <summary>A zip that is not a spreadsheet package (no workbook in it).</summary>
    Zip,

    /// <summary>Anything else that is not an .xlsx workbook (a zip of something else included).</summary>
    NotXlsx,
}

/// <summary>The refusals of uploads, worded once for the unit's page, the API and the parser.</summary>
public static class UploadRefusals
{
    /// <summary>The largest upload taken: a template is a few tens of KB.</summary>
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>Why <paramref name="file"/> is not an .xlsx workbook, by its bytes (never its name); null when it is one.</summary>
    public static UploadRefusal? ForContent(ReadOnlySpan<byte> file) => SpreadsheetReader.Detect(file) switch
    {
        SpreadsheetFormat.Xlsx => null,
        SpreadsheetFormat.Empty => UploadRefusal.Empty,
        SpreadsheetFormat.Xls => UploadRefusal.Xls,
        SpreadsheetFormat.Ods => UploadRefusal.Ods,
        SpreadsheetFormat.ZipButNotSpreadsheet => UploadRefusal.Zip,
        _ => UploadRefusal.NotXlsx,
    };

    public static string Message(UploadRefusal refusal) => refusal switch
    {
        UploadRefusal.TooLarge => $"Tệp quá lớn (tối đa {MaxBytes / (1024 * 1024)} MB). Mẫu báo cáo thường chỉ vài chục KB.",
        UploadRefusal.Unreadable => "Không đọc được tệp gửi lên; hãy thử lại.",
        UploadRefusal.NoFile => "Hãy chọn tệp bảng tính (.xlsx) để gửi.",
        UploadRefusal.Empty => "Tệp rỗng: không có nội dung.",
        UploadRefusal.Xls => "Tệp là bảng tính Excel 97–2003 (.xls). Hãy mở bằng Excel hoặc LibreOffice và lưu lại dưới dạng Excel Workbook (.xlsx).",
        UploadRefusal.Ods => "Tệp là bảng tính OpenDocument (.ods). Hãy mở bằng LibreOffice hoặc Excel và lưu lại dưới dạng Excel Workbook (.xlsx).",
        UploadRefusal.Zip => "Tệp là tệp nén (.zip) chứ không phải bảng tính Excel (.xlsx). Hãy giải nén hoặc mở mẫu báo cáo bằng Excel, LibreOffice rồi lưu dưới dạng .xlsx và gửi tệp đó.",
        _ => "Tệp không phải bảng tính Excel (.xlsx). Hãy gửi đúng mẫu báo cáo thống kê dưới dạng .xlsx.",
    };
}
