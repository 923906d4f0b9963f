using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>
/// Reads the office's blank report template (.xlsx from Excel, LibreOffice or Google Sheets) into a
/// <see cref="ReportTemplate"/>: on the first visible sheet that has one, the table's header row —
/// a cell "STT" (or "TT") and a cell "Nội dung" (or "Chỉ tiêu", "Tên đơn vị"…), the column labels to
/// the right, on one row or two (a group merged over its columns: "Năm 2025" over "Nam", "Nữ"); a
/// row of column numbers under it ("(1) (2) (3)", "A B 1 2") is skipped; then the rows below, one per
/// label, down to the first empty row or a signature line. A row or column labelled "Tổng cộng" /
/// "Tổng số" / "Cộng" is the total. Cells marked "x" or "-", or covered by a merged cell, take no
/// figure. A file in which no such table is found is refused saying what was expected. The file is
/// read with the same limits as units' uploads (<see cref="SpreadsheetReader"/>).
/// </summary>
public static partial class TemplateReader
{
    public const int MaxRows = 200;
    public const int MaxColumns = 60;

    public const string NotFoundMessage =
        "Không tìm thấy bảng số liệu trong tệp mẫu. Mẫu cần có một dòng tiêu đề với ô “STT” và ô “Nội dung” (hoặc “Chỉ tiêu”, “Tên đơn vị”), bên phải là tên các cột số liệu, bên dưới là các dòng nội dung — mỗi dòng một chỉ tiêu, ô số liệu để trống.";

    private static readonly HashSet<string> SttKeys = new(StringComparer.Ordinal) { "stt", "tt", "so tt", "so thu tu", "s tt" };

    private static readonly HashSet<string> LabelKeys = new(StringComparer.Ordinal)
    {
        "noi dung", "chi tieu", "noi dung chi tieu", "ten chi tieu", "danh muc", "ten don vi", "don vi", "ten to chuc dang", "to chuc dang", "noi dung bao cao", "noi dung thong ke",
    };

    private static readonly HashSet<string> TotalKeys = new(StringComparer.Ordinal) { "tong", "tong cong", "cong", "tong so", "tong so chung", "cong chung", "tong cong chung" };

    private static readonly string[] FooterStarts = ["nguoi lap", "ghi chu", "noi nhan", "xac nhan", "thu truong", "t/m", "tm.", "tm ", "luu y", "ngay "];

    private static readonly HashSet<string> NotApplicableMarks = new(StringComparer.Ordinal) { "x", "-", "—", "–", "/", "không", "khong" };

    public static Result<ReportTemplate> Read(ReadOnlyMemory<byte> file, TemplateId? id = null)
    {
        if (UploadRefusals.ForContent(file.Span) is { } refusal)
        {
            return Error.Validation("file", "invalid-template", UploadRefusals.Message(refusal).Replace("mẫu báo cáo thống kê", "mẫu báo cáo", StringComparison.Ordinal));
        }

        IReadOnlyList<SheetCells> sheets;
        try
        {
            sheets = SpreadsheetReader.ReadXlsx(file);
        }
        catch (UnreadableSpreadsheetException ex)
        {
            return Error.Validation("file", "invalid-template", ex.Message);
        }

        string? problem = null;
        foreach (var sheet in sheets)
        {
            var located = Locate(sheet, id ?? TemplateId.OfContent(file.Span));
            if (located.IsSuccess)
            {
                return located;
            }

            var message = located.Error!.Fields[0].Message;
            problem ??= message == NotFoundMessage ? null : message;
        }

        return Error.Validation("file", "no-table", problem ?? NotFoundMessage);
    }

    private static Result<ReportTemplate> Locate(SheetCells sheet, TemplateId id)
    {
        string? problem = null;
        foreach (var r in sheet.Rows)
        {
            int stt = 0, label = 0;
            foreach (var (column, cell) in sheet.Row(r))
            {
                if (cell.Text is not { Length: <= ReportTemplate.MaxHeaderLabelLength } text)
                {
                    continue;
                }

                var key = ReportTemplate.Key(text);
                if (stt == 0 && SttKeys.Contains(key))
                {
                    stt = column;
                }
                else if (label == 0 && LabelKeys.Contains(key))
                {
                    label = column;
                }
            }

            if (label == 0 && stt > 0 && !string.IsNullOrWhiteSpace(TextAt(sheet, r, stt + 1)))
            {
                label = stt + 1; // "STT" then an unusual label header: the column right of it holds the labels
            }

            if (label == 0 || (stt > label))
            {
                continue;
            }

            var labelHeader = TextAt(sheet, r, label)!.Trim();
            var headerRows = IsSecondHeaderRow(sheet, r, stt, label) ? 2 : 1;
            var columns = HeaderColumns(sheet, r, headerRows, label);
            if (columns.Count == 0)
            {
                problem ??= $"Tìm thấy dòng tiêu đề ở dòng {r} nhưng bên phải cột “{labelHeader}” không có cột số liệu nào.";
                continue;
            }

            var first = r + headerRows;
            if (IsNumberingRow(sheet, first, stt, label, columns[^1].SheetColumn))
            {
                first++;
            }

            var rows = DataRows(sheet, first, stt, label);
            if (rows.Count == 0)
            {
                problem ??= $"Tìm thấy dòng tiêu đề ở dòng {r} nhưng bên dưới không có dòng nội dung nào (mỗi dòng một chỉ tiêu, có “Nội dung”).";
                continue;
            }

            rows = MarkTotal(rows);
            columns = MarkTotal(columns);
            var notApplicable = new List<GridCell>();
            for (var i = 0; i < rows.Count; i++)
            {
                for (var j = 0; j < columns.Count; j++)
                {
                    if (IsNotApplicable(sheet, rows[i].SheetRow, columns[j].SheetColumn))
                    {
                        notApplicable.Add(new GridCell(i, j));
                    }
                }
            }

            return new ReportTemplate(id, Title(sheet, r), sheet.Name, r, headerRows, stt, label, labelHeader, rows, columns, notApplicable);
        }

        return Error.Validation("file", "no-table", problem ?? NotFoundMessage);
    }

    /// <summary>The text a cell shows: its own, or the text of the merged range it lies in; numbers as written.</summary>
    internal static string? TextAt(SheetCells sheet, int row, int column)
    {
        if (sheet[row, column] is { } cell)
        {
            return cell.Text ?? cell.Number?.ToString(CultureInfo.InvariantCulture);
        }

        return sheet.MergeAt(row, column) is { } range && sheet[range.Top, range.Left] is { } top
            ? top.Text ?? top.Number?.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>
    /// Whether the row under header row <paramref name="row"/> continues it: the label column is merged
    /// down into it or left blank there, the STT column too, and it holds column labels (not numbers).
    /// </summary>
    internal static bool IsSecondHeaderRow(SheetCells sheet, int row, int stt, int label)
    {
        var next = row + 1;
        var labelMerge = sheet.MergeAt(row, label);
        var labelContinues = labelMerge is { } m ? m.Bottom >= next : sheet[next, label] is null or { IsBlank: true };
        var sttContinues = stt == 0 || (sheet.MergeAt(row, stt) is { } s ? s.Bottom >= next : sheet[next, stt] is null or { IsBlank: true });
        if (!labelContinues || !sttContinues)
        {
            return false;
        }

        var labels = 0;
        foreach (var (column, cell) in sheet.Row(next))
        {
            if (column > label && cell.Text is { } text && !string.IsNullOrWhiteSpace(text) && !IsCode(text))
            {
                labels++;
            }
        }

        return labels > 0 || labelMerge is { } merged && merged.Bottom >= next;
    }

    /// <summary>The figure columns right of <paramref name="label"/>, contiguous, from header row <paramref name="row"/> (and the row below for a two-row header).</summary>
    internal static List<TemplateColumn> HeaderColumns(SheetCells sheet, int row, int headerRows, int label)
    {
        var columns = new List<TemplateColumn>();
        for (var c = label + 1; c <= label + MaxColumns; c++)
        {
            var upperMerge = sheet.MergeAt(row, c);
            var upper = Clean(TextAt(sheet, row, c));
            string? lower = null;
            if (headerRows == 2)
            {
                var lowerMerge = sheet.MergeAt(row + 1, c);
                lower = lowerMerge is { } lm && upperMerge is { } um && lm == um ? null : Clean(TextAt(sheet, row + 1, c));
            }

            if (upper is null && lower is null)
            {
                if (columns.Count > 0)
                {
                    break;
                }

                continue;
            }

            columns.Add(lower is null ? new TemplateColumn(null, upper!, c, false)
                : upper is null ? new TemplateColumn(null, lower, c, false)
                : new TemplateColumn(upper, lower, c, false));
        }

        return columns;
    }

    /// <summary>A label as shown: one line, trimmed, composed (NFC); the common label, already so, is kept as it is.</summary>
    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        var line = trimmed.AsSpan().IndexOfAnyInRange('\0', '\u001f') < 0 && trimmed.AsSpan().IndexOfAny('\u2028', '\u2029', '\u007f') < 0 ? trimmed : Text.SingleLine(trimmed);
        return line.IsNormalized(System.Text.NormalizationForm.FormC) ? line : line.Normalize(System.Text.NormalizationForm.FormC);
    }

    /// <summary>A row of column numbers under the header: "(1) (2) (3)", "A B 1 2 3", "3=4+5".</summary>
    internal static bool IsNumberingRow(SheetCells sheet, int row, int stt, int label, int lastColumn)
    {
        var codes = 0;
        foreach (var (column, cell) in sheet.Row(row))
        {
            if (column < Math.Min(stt == 0 ? label : stt, label) || column > lastColumn)
            {
                continue;
            }

            var text = cell.Text ?? (cell.Number is { } n && n == Math.Floor(n) && n is >= 0 and <= 99 ? n.ToString(CultureInfo.InvariantCulture) : null);
            if (text is null || !IsCode(text.Trim()))
            {
                return false;
            }

            codes++;
        }

        return codes >= 2;
    }

    private static bool IsCode(string text) => Code().IsMatch(text.Trim());

    [GeneratedRegex(@"^[\(\[]?([0-9]{1,2}|[A-Za-z]{1,2})(\s*[=+\-*x]\s*([0-9]{1,2}|[A-Za-z]{1,2}))*[\)\]]?$")]
    private static partial Regex Code();

    private static List<TemplateRow> DataRows(SheetCells sheet, int first, int stt, int label)
    {
        var rows = new List<TemplateRow>();
        for (var r = first; r < first + MaxRows; r++)
        {
            var text = Clean(TextAt(sheet, r, label));
            var number = stt == 0 ? null : Clean(TextAt(sheet, r, stt));
            if (text is null)
            {
                if (number is null && rows.Count > 0)
                {
                    break;
                }

                if (number is null)
                {
                    continue; // a blank line between the header and the first row
                }

                text = string.Empty;
            }

            var key = ReportTemplate.Key(text);
            if (FooterStarts.Any(f => key.StartsWith(f, StringComparison.Ordinal)))
            {
                break;
            }

            rows.Add(new TemplateRow(number ?? string.Empty, text, r, false));
        }

        return rows.Count > 0 && rows.All(r => r.Label.Length == 0) ? [] : rows;
    }

    /// <summary>
    /// The row labelled as the total, if there are at least two others for it to add up: "Tổng cộng" or
    /// "Cộng" anywhere, "Tổng số" only as the last row — a "Tổng số" first is usually followed by "Trong đó"
    /// rows that are a part of it, not its parts.
    /// </summary>
    private static List<TemplateRow> MarkTotal(List<TemplateRow> rows)
    {
        if (rows.Count < 3)
        {
            return rows;
        }

        var total = rows.FindIndex(r => IsTotal(r.Label, false));
        if (total < 0 && IsTotal(rows[^1].Label, true))
        {
            total = rows.Count - 1;
        }

        return total < 0 ? rows : [.. rows.Select((r, i) => i == total ? r with { IsTotal = true } : r)];
    }

    /// <summary>
    /// The column labelled as the total, on the same terms as <see cref="MarkTotal(List{TemplateRow})"/>:
    /// "Tổng cộng" or "Cộng" anywhere, "Tổng số" as the last column — or as the first when every other
    /// column sits under one group that divides it ("Chia ra", "Chia theo …", "Gồm"); under "Trong đó"
    /// the others are parts of it that need not add up to it. A group over a single column names it.
    /// </summary>
    private static List<TemplateColumn> MarkTotal(List<TemplateColumn> columns)
    {
        if (columns.Count < 3)
        {
            return columns;
        }

        string? Name(TemplateColumn c) => c.Group is null ? c.Label : columns.Count(o => o.Group == c.Group) == 1 ? c.Group : null;

        var total = columns.FindIndex(c => Name(c) is { } name && IsTotal(name, false));
        if (total < 0 && Name(columns[^1]) is { } last && IsTotal(last, true))
        {
            total = columns.Count - 1;
        }

        if (total < 0 && Name(columns[0]) is { } first && IsTotal(first, true)
            && columns[1].Group is { } group && columns.Skip(1).All(c => c.Group == group) && Divides(group))
        {
            total = 0;
        }

        return total < 0 ? columns : [.. columns.Select((c, i) => i == total ? c with { IsTotal = true } : c)];
    }

    /// <summary>A group heading whose columns add up to the total beside it: "Chia ra", "Chia theo giới tính", "Gồm", "Bao gồm".</summary>
    private static bool Divides(string group)
    {
        var key = ReportTemplate.Key(group);
        return key.StartsWith("chia ra", StringComparison.Ordinal) || key.StartsWith("chia theo", StringComparison.Ordinal) || key is "gom" or "bao gom" or "gom co";
    }

    private static bool IsTotal(string label, bool last)
    {
        var key = ReportTemplate.Key(label);
        return key.StartsWith("tong cong", StringComparison.Ordinal) || (TotalKeys.Contains(key) && (last || key is not ("tong so" or "tong so chung")));
    }

    /// <summary>A figure cell that takes nothing: marked "x"/"-" (or other words) in the blank template, or covered by a merged cell that starts elsewhere.</summary>
    private static bool IsNotApplicable(SheetCells sheet, int row, int column)
    {
        if (sheet.MergeAt(row, column) is { } merge && (merge.Top != row || merge.Left != column))
        {
            return true;
        }

        return sheet[row, column] is { Text: { } text } && !string.IsNullOrWhiteSpace(text)
            && (NotApplicableMarks.Contains(ReportTemplate.Key(text)) || !text.Trim().All(ch => char.IsAsciiDigit(ch) || ch is '.' or ',' or ' '));
    }

    /// <summary>What the template is called: the lines above its table (not the "Đơn vị:" line), or its sheet's name.</summary>
    private static string Title(SheetCells sheet, int headerRow)
    {
        var lines = new List<string>();
        foreach (var r in sheet.Rows)
        {
            if (r >= headerRow || lines.Count >= 3)
            {
                break;
            }

            foreach (var (_, cell) in sheet.Row(r))
            {
                if (Clean(cell.Text) is { } text && !ReportTemplate.Key(text).StartsWith("don vi", StringComparison.Ordinal) && !text.All(ch => ch is '.' or '…' or ' ' or '_'))
                {
                    lines.Add(text);
                    break;
                }
            }
        }

        var title = lines.Count > 0 ? string.Join(" — ", lines) : sheet.Name;
        return title.Length <= 300 ? title : title[..300] + "…";
    }
}
