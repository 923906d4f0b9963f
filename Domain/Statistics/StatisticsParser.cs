using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>An uploaded statistics file, accepted with its figures or rejected with every reason.</summary>
public sealed record StatisticsOutcome(StatisticsReport? Report, IReadOnlyList<CellError> Errors)
{
    public bool Accepted => Report is not null;

    public static StatisticsOutcome Reject(string message, string cell = "") => new(null, [new CellError(cell, message)]);
}

/// <summary>
/// Reads an uploaded statistics spreadsheet and checks it against the template:
/// the table is found by its labels (header "STT", "Nội dung" and the four levels; rows by STT or
/// by their label) on the first visible sheet that has it; a unit name written above the table
/// ("Đơn vị: …") is kept. Every figure must be a whole, non-negative count — blank means 0,
/// numbers typed as text are read (Vietnamese thousands separators too), formulas count by their
/// cached value — and rows 2, 4, 5 and 6 of a column may not exceed row 1 of the same column (see
/// <see cref="BoundedByOrganisations"/>). Errors name
/// the cells of the uploaded file, in Vietnamese: "Ô D7: số âm (-2); phải là số nguyên không âm".
/// </summary>
public static partial class StatisticsParser
{
    public const int MaxCount = 10_000_000;

    /// <summary>
    /// Rows (0-based) that count one thing per party organisation — bank accounts (2), secretaries (4),
    /// deputy secretaries (5), fee officers (6) — and so cannot exceed row 1 in the same column.
    /// Row 3 counts the committee's own administrator and operator accounts, of which a committee
    /// may have several (the shared filled sample has 2 for 1 organisation), so it is not bounded.
    /// </summary>
    public static readonly IReadOnlyList<int> BoundedByOrganisations = [1, 3, 4, 5];

    /// <summary>Why a file of this kind cannot be read as the template, or null for .xlsx: decided from the bytes at upload already.</summary>
    public static string? FormatProblem(ReadOnlySpan<byte> file) =>
        UploadRefusals.ForContent(file) is { } refusal ? UploadRefusals.Message(refusal) : null;

    public static StatisticsOutcome Parse(ReadOnlyMemory<byte> file)
    {
        if (FormatProblem(file.Span) is { } problem)
        {
            return StatisticsOutcome.Reject(problem);
        }

        IReadOnlyList<SheetCells> sheets;
        try
        {
            sheets = SpreadsheetReader.ReadXlsx(file);
        }
        catch (UnreadableSpreadsheetException ex)
        {
            return StatisticsOutcome.Reject(ex.Message);
        }

        StatisticsOutcome? firstProblem = null;
        foreach (var sheet in sheets)
        {
            var outcome = FromSheet(sheet);
            if (outcome is { Accepted: true } || (outcome is not null && firstProblem is null))
            {
                if (outcome.Accepted)
                {
                    return outcome;
                }

                firstProblem = outcome;
            }
        }

        return firstProblem ?? StatisticsOutcome.Reject(
            "Không tìm thấy bảng theo mẫu: cần dòng tiêu đề có các cột \"STT\", \"Nội dung\", \"Đảng bộ cấp trên cơ sở\", \"Đảng bộ/Chi bộ cơ sở\", \"Đảng bộ bộ phận\", \"Chi bộ trực thuộc\". Hãy dùng đúng mẫu kèm công văn.");
    }

    /// <summary>The outcome for a sheet that holds the template's header; null when the sheet has no such header.</summary>
    private static StatisticsOutcome? FromSheet(SheetCells sheet)
    {
        var header = FindHeader(sheet);
        if (header is null)
        {
            return null;
        }

        var (headerRow, sttColumn, contentColumn, levelColumns) = header.Value;
        if (Array.IndexOf(levelColumns, 0) >= 0)
        {
            var missingLevels = levelColumns.Select((c, i) => (c, i)).Where(x => x.c == 0).Select(x => StatisticsTemplate.ColumnLabels[x.i]);
            return StatisticsOutcome.Reject($"Mẫu đã bị sửa: thiếu cột {string.Join(", ", missingLevels.Select(l => $"\"{l}\""))} ở dòng tiêu đề {headerRow}.");
        }

        var errors = new List<CellError>();
        var rows = new int[StatisticsTemplate.RowCount];
        // The rows below the header that may hold the table, each with its STT read once.
        var candidates = new List<(int Row, int? Stt)>();
        foreach (var r in sheet.Rows)
        {
            if (r > headerRow && r <= headerRow + 40)
            {
                candidates.Add((r, SttOf(sheet[r, sttColumn])));
            }
        }

        for (var index = 0; index < StatisticsTemplate.RowCount; index++)
        {
            var stt = index + 1;
            var row = 0;
            foreach (var candidate in candidates)
            {
                if (candidate.Stt == stt)
                {
                    row = candidate.Row;
                    break;
                }
            }

            if (row == 0)
            {
                foreach (var candidate in candidates)
                {
                    if (StatisticsTemplate.IsRowLabel(sheet[candidate.Row, contentColumn]?.Text, index))
                    {
                        row = candidate.Row;
                        break;
                    }
                }
            }

            if (row == 0)
            {
                errors.Add(new CellError(string.Empty, $"Mẫu đã bị sửa: không tìm thấy dòng {stt} (\"{StatisticsTemplate.RowLabels[index]}\")."));
                continue;
            }

            if (sheet[row, contentColumn]?.Text is { } label && !string.IsNullOrWhiteSpace(label) && !StatisticsTemplate.IsRowLabel(label, index))
            {
                errors.Add(new CellError(SpreadsheetReader.CellName(row, contentColumn), $"Ô {SpreadsheetReader.CellName(row, contentColumn)}: nội dung dòng {stt} không đúng mẫu (\"{label.Trim()}\"); mẫu ghi \"{StatisticsTemplate.RowLabels[index]}\"."));
            }

            rows[index] = row;
        }

        if (errors.Count > 0)
        {
            return new StatisticsOutcome(null, errors);
        }

        var values = new int[StatisticsTemplate.RowCount, StatisticsTemplate.ColumnCount];
        var anyFigure = false;
        for (var r = 0; r < StatisticsTemplate.RowCount; r++)
        {
            for (var c = 0; c < StatisticsTemplate.ColumnCount; c++)
            {
                var cell = sheet[rows[r], levelColumns[c]];
                anyFigure |= cell is { IsBlank: false };
                if (Count(cell, rows[r], levelColumns[c]) is { } error)
                {
                    errors.Add(error);
                }
                else
                {
                    values[r, c] = cell?.Number is { } n ? (int)n : ParseText(cell?.Text) ?? 0;
                }
            }
        }

        if (errors.Count == 0 && !anyFigure)
        {
            return StatisticsOutcome.Reject("Mẫu chưa có số liệu nào: hãy điền số liệu của đơn vị rồi gửi lại.");
        }

        if (errors.Count == 0)
        {
            for (var c = 0; c < StatisticsTemplate.ColumnCount; c++)
            {
                foreach (var r in BoundedByOrganisations)
                {
                    if (values[r, c] > values[0, c])
                    {
                        var cell = SpreadsheetReader.CellName(rows[r], levelColumns[c]);
                        var total = SpreadsheetReader.CellName(rows[0], levelColumns[c]);
                        errors.Add(new CellError(cell, $"Ô {cell}: {Format(values[r, c])} lớn hơn tổng số tổ chức đảng ở ô {total} ({Format(values[0, c])}); số này không thể vượt quá tổng số tổ chức đảng."));
                    }
                }
            }
        }

        return errors.Count > 0 ? new StatisticsOutcome(null, errors) : new StatisticsOutcome(new StatisticsReport(values, UnitName(sheet, headerRow)), []);
    }

    private static (int Row, int Stt, int Content, int[] Levels)? FindHeader(SheetCells sheet)
    {
        var levels = new int[StatisticsTemplate.ColumnCount];
        foreach (var row in sheet.Rows)
        {
            int stt = 0, content = 0;
            Array.Clear(levels);
            var found = 0;
            foreach (var (column, cell) in sheet.Row(row))
            {
                if (cell.Text is null || cell.Text.Length > StatisticsTemplate.MaxHeaderLabelLength)
                {
                    continue;
                }

                var key = StatisticsTemplate.HeaderKey(cell.Text);
                if (key == "stt")
                {
                    stt = column;
                }
                else if (key == "noi dung")
                {
                    content = column;
                }
                else
                {
                    for (var i = 0; i < StatisticsTemplate.ColumnCount; i++)
                    {
                        if (key == StatisticsTemplate.ColumnKeys[i])
                        {
                            levels[i] = column;
                            found++;
                        }
                    }
                }
            }

            if (stt > 0 && content > 0 && found >= 2)
            {
                return (row, stt, content, levels);
            }
        }

        return null;
    }

    private static int? SttOf(CellValue? cell) =>
        cell?.Number is { } n && n == Math.Floor(n) ? (int)n
        : int.TryParse(cell?.Text?.Trim().TrimEnd('.'), NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t
        : null;

    private static string? UnitName(SheetCells sheet, int headerRow)
    {
        foreach (var ((row, _), cell) in sheet.Cells)
        {
            if (row < headerRow && cell.Text is { } text)
            {
                var line = text.Trim();
                if (line.Length < 300 && line.Contains(':', StringComparison.Ordinal) && IsUnitLine(line))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Normalize(System.Text.NormalizationForm.FormC);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a line above the table names the unit ("Đơn vị: …"): its folded key starts with "don vi:".
    /// Written as in the template and followed by an ASCII letter or digit (which folding keeps, so the
    /// key does too), it does without folding; anything else is folded.
    /// </summary>
    private static bool IsUnitLine(string line) =>
        (line.StartsWith("Đơn vị:", StringComparison.Ordinal) && line.AsSpan("Đơn vị:".Length).IndexOfAny(AsciiLettersAndDigits) >= 0)
        || StatisticsTemplate.Key(line).StartsWith("don vi:", StringComparison.Ordinal);

    private static readonly System.Buffers.SearchValues<char> AsciiLettersAndDigits = System.Buffers.SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>The problem with a figure cell, or null when it is a whole non-negative count (or blank).</summary>
    private static CellError? Count(CellValue? cell, int row, int column)
    {
        if (cell is null || cell.Value.IsBlank)
        {
            return null;
        }

        var c = cell.Value;
        if (c.Number is { } number && !c.IsError && !c.IsFormulaWithoutValue && number >= 0 && number == Math.Floor(number) && number <= MaxCount)
        {
            return null; // the common case, named only when there is something to say
        }

        var name = SpreadsheetReader.CellName(row, column);
        if (c.IsFormulaWithoutValue)
        {
            return new CellError(name, $"Ô {name}: công thức chưa có giá trị đã tính; hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi gửi.");
        }

        if (c.IsError)
        {
            return new CellError(name, $"Ô {name}: giá trị lỗi ({c.Text}); phải là số nguyên không âm.");
        }

        if (c.Number is { } n)
        {
            return Check(n, name);
        }

        if (ParseText(c.Text) is { } parsed)
        {
            return Check(parsed, name);
        }

        var text = c.Text!.Trim();
        if (double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var decimalText))
        {
            return Check(decimalText, name);
        }

        return new CellError(name, $"Ô {name}: \"{(text.Length > 40 ? text[..40] + "…" : text)}\" không phải là số; phải là số nguyên không âm.");
    }

    private static CellError? Check(double n, string name) =>
        n < 0 ? new CellError(name, $"Ô {name}: số âm ({Format(n)}); phải là số nguyên không âm.")
        : n != Math.Floor(n) ? new CellError(name, $"Ô {name}: số thập phân ({Format(n)}); phải là số nguyên không âm.")
        : n > MaxCount ? new CellError(name, $"Ô {name}: số quá lớn ({Format(n)}); hãy kiểm tra lại.")
        : null;

    /// <summary>A count typed as text: "12", " 12 ", "1.234" or "1 234" (Vietnamese thousands separators).</summary>
    private static int? ParseText(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (WholeNumber().IsMatch(value))
        {
            var digits = value.Replace(".", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\u00a0", string.Empty, StringComparison.Ordinal);
            return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxCount ? n : null;
        }

        return null;
    }

    private static string Format(double n) => n.ToString("#,##0.##", Time.VietnamTime.Culture);

    [GeneratedRegex(@"^(\d+|\d{1,3}([.\u00a0 ]\d{3})+)$")]
    private static partial Regex WholeNumber();
}
