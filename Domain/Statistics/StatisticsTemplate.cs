namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>
/// The words of the statistics report template attached to dispatch 643-CV/ĐU: 7 rows (STT 1–7) × 4
/// columns (the unit levels). The template itself is <see cref="ReportTemplate.Official643"/>, read
/// from the office's blank file like any other; these are its labels as the office wrote them.
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

    /// <summary>The column labels folded once, for comparison with cells.</summary>
    public static readonly IReadOnlyList<string> ColumnKeys = ColumnLabels.Select(ReportTemplate.Key).ToList();
}

/// <summary>A unit's figures, as accepted: <c>Values[row, column]</c> in the template's rows and columns (643: STT 1–7 × the four levels).</summary>
public sealed record StatisticsReport(int[,] Values, string? UnitName)
{
    public int this[int row, int column] => Values[row, column];

    /// <summary>The figures as nested arrays, row by row (the JSON shape of architecture.md).</summary>
    public int[][] ToRows() => Grid.Rows(Values);
}

/// <summary>Figures of a template's grid as the JSON shape: one array per row.</summary>
public static class Grid
{
    public static T[][] Rows<T>(T[,] values) =>
        Enumerable.Range(0, values.GetLength(0)).Select(r => Enumerable.Range(0, values.GetLength(1)).Select(c => values[r, c]).ToArray()).ToArray();
}

/// <summary>A problem with one cell, named by its reference in the uploaded file.</summary>
public sealed record CellError(string Cell, string Message);
