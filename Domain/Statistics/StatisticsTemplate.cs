using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>
/// The statistics report template attached to dispatch 643-CV/ĐU: 7 rows (STT 1–7) × 4 columns
/// (the unit levels). Labels are matched after folding (NFC/NFD, case, diacritics, spacing), so the
/// table is found by what it says, not by fixed cell addresses.
/// </summary>
public static class StatisticsTemplate
{
    public const int RowCount = 7;
    public const int ColumnCount = 4;

    /// <summary>Row labels, STT 1–7.</summary>
    public static readonly IReadOnlyList<string> RowLabels =
    [
        "Tổng số tổ chức đảng",
        "Số lượng tài khoản ngân hàng đã khai báo cho các tổ chức đảng",
        "Số lượng tài khoản quản trị, vận hành hệ thống của đảng ủy",
        "Số lượng tài khoản đã khai báo cho Bí thư các tổ chức đảng trực thuộc",
        "Số lượng tài khoản đã khai báo cho Phó Bí thư các tổ chức đảng trực thuộc",
        "Số lượng tài khoản cán bộ phụ trách thu, nộp đảng phí cho các tổ chức đảng trực thuộc",
        "Số lượng đảng viên trong đảng bộ đã khai báo thông tin ban đầu trên cổng dịch vụ công",
    ];

    /// <summary>Column labels, the template's four levels, left to right.</summary>
    public static readonly IReadOnlyList<string> ColumnLabels =
    [
        "Đảng bộ cấp trên cơ sở",
        "Đảng bộ/Chi bộ cơ sở",
        "Đảng bộ bộ phận",
        "Chi bộ trực thuộc",
    ];

    public const string Title = "BÁO CÁO";

    public const string Subtitle = "Thống kê số tổ chức đảng, tài khoản ngân hàng và tài khoản người dùng trên Hệ thống thông tin giải quyết thủ tục hành chính của đảng";

    /// <summary>The row and column labels folded once, for comparison with cells.</summary>
    public static readonly IReadOnlyList<string> RowKeys = RowLabels.Select(Key).ToList();

    public static readonly IReadOnlyList<string> ColumnKeys = ColumnLabels.Select(Key).ToList();

    /// <summary>Header labels are short; longer text (a title, a note) cannot be one and is not folded.</summary>
    public const int MaxHeaderLabelLength = 40;

    /// <summary>A header cell's key: the label itself when it is written exactly as in the template, else its folded form.</summary>
    public static string HeaderKey(string text)
    {
        var trimmed = text.Trim();
        for (var i = 0; i < ColumnLabels.Count; i++)
        {
            if (trimmed.Equals(ColumnLabels[i], StringComparison.OrdinalIgnoreCase))
            {
                return ColumnKeys[i];
            }
        }

        return trimmed.Equals("STT", StringComparison.OrdinalIgnoreCase) ? "stt"
            : trimmed.Equals("Nội dung", StringComparison.OrdinalIgnoreCase) ? "noi dung"
            : Key(trimmed);
    }

    /// <summary>A label folded for comparison: <see cref="Text.Fold"/>, no spaces around '/', no trailing punctuation.</summary>
    public static string Key(string? text) =>
        Text.Fold(text ?? string.Empty).Replace(" /", "/", StringComparison.Ordinal).Replace("/ ", "/", StringComparison.Ordinal).TrimEnd('.', ':', ';', ' ');

    /// <summary>Whether a cell's text is row <paramref name="index"/>'s label (a printed template may shorten or extend it slightly).</summary>
    public static bool IsRowLabel(string? text, int index)
    {
        var written = text.AsSpan().Trim().TrimEnd('.');
        if (written.SequenceEqual(RowLabels[index]) || (text is not null && written.Equals(RowLabels[index], StringComparison.OrdinalIgnoreCase)))
        {
            return true; // the common case: the template's own words, no folding needed
        }

        var key = Key(text);
        var label = RowKeys[index];
        return key.Length > 0 && (key == label || (key.Length >= 12 && (label.StartsWith(key, StringComparison.Ordinal) || key.StartsWith(label, StringComparison.Ordinal))));
    }
}

/// <summary>A unit's figures, as accepted: <c>Values[row, column]</c>, rows STT 1–7, columns the four levels.</summary>
public sealed record StatisticsReport(int[,] Values, string? UnitName)
{
    public int this[int row, int column] => Values[row, column];

    /// <summary>The 7 × 4 figures as nested arrays (the JSON shape of architecture.md).</summary>
    public int[][] ToRows() =>
        Enumerable.Range(0, StatisticsTemplate.RowCount).Select(r => Enumerable.Range(0, StatisticsTemplate.ColumnCount).Select(c => Values[r, c]).ToArray()).ToArray();
}

/// <summary>A problem with one cell, named by its reference in the uploaded file.</summary>
public sealed record CellError(string Cell, string Message);
