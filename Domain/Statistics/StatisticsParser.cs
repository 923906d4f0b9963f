using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>
/// An uploaded statistics file, accepted with its figures or rejected with every reason. <see cref="Sheet"/>
/// and <see cref="Anchor"/> say where the table was found (its sheet, and the header's "Nội dung" cell,
/// where an annotated copy puts the errors that name no cell); both are null when the file could not be
/// read as the template at all.
/// </summary>
public sealed record StatisticsOutcome(StatisticsReport? Report, IReadOnlyList<CellError> Errors)
{
    public bool Accepted => Report is not null;

    public string? Sheet { get; init; }

    public string? Anchor { get; init; }

    public static StatisticsOutcome Reject(string message, string cell = "") => new(null, [new CellError(cell, message)]);
}

/// <summary>
/// Reads an uploaded statistics spreadsheet and checks it against its task's template and rules:
/// the table is found by its labels (the "Nội dung" header and the template's column labels, on one
/// header row or two; rows by their label, or by STT) on the first visible sheet that has it, after
/// folding case, diacritics and NFC/NFD; extra rows, columns and sheets are ignored; a unit name
/// written above the table ("Đơn vị: …") is kept. Every figure must be a whole, non-negative count —
/// numbers typed as text are read (Vietnamese thousands separators too), formulas count by their
/// cached value, blank means 0 unless the rules say every cell must be filled — and the rules hold:
/// rows not above their bound in the same column, totals equal to the sum of their parts. Every error
/// of the file is reported in one pass, naming the cells of the uploaded file, in Vietnamese:
/// "Ô D7: số âm (-2); phải là số nguyên không âm".
/// </summary>
public static partial class StatisticsParser
{
    public const int MaxCount = 10_000_000;

    /// <summary>How far below the header a template's rows are looked for, beyond the template's own length.</summary>
    private const int ExtraRows = 40;

    /// <summary>Why a file of this kind cannot be read as the template, or null for .xlsx: decided from the bytes at upload already.</summary>
    public static string? FormatProblem(ReadOnlySpan<byte> file) =>
        UploadRefusals.ForContent(file) is { } refusal ? UploadRefusals.Message(refusal) : null;

    /// <summary>The file against the ready-made template of dispatch 643-CV/ĐU and its rules.</summary>
    public static StatisticsOutcome Parse(ReadOnlyMemory<byte> file) => Parse(file, ReportTemplate.Official643, TemplateRules.Official643);

    public static StatisticsOutcome Parse(ReadOnlyMemory<byte> file, ReportTemplate template, TemplateRules rules)
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
            var outcome = FromSheet(sheet, template, rules);
            if (outcome is { Accepted: true })
            {
                return outcome;
            }

            firstProblem ??= outcome;
        }

        return firstProblem ?? StatisticsOutcome.Reject(NotFound(template));
    }

    private static string NotFound(ReportTemplate template)
    {
        var labels = new List<string>();
        if (template.SttColumn > 0)
        {
            labels.Add("STT");
        }

        labels.Add(template.LabelHeader);
        labels.AddRange(template.Columns.Take(6).Select(c => c.Name));
        var more = template.ColumnCount > 6 ? $" (và {template.ColumnCount - 6} cột nữa)" : string.Empty;
        return $"Không tìm thấy bảng theo mẫu: cần dòng tiêu đề có các cột {string.Join(", ", labels.Select(l => $"\"{l}\""))}{more}. Hãy dùng đúng mẫu kèm công văn.";
    }

    /// <summary>An error and where it sits (0 for none), so the file's errors are listed top to bottom, left to right.</summary>
    private readonly record struct Located(int Row, int Column, CellError Error);

    /// <summary>The outcome for a sheet that holds the template's header; null when the sheet has no such header.</summary>
    private static StatisticsOutcome? FromSheet(SheetCells sheet, ReportTemplate template, TemplateRules rules)
    {
        if (FindHeader(sheet, template) is not var (headerRow, sttColumn, labelColumn, columns))
        {
            return null;
        }

        var errors = new List<Located>();
        var missingColumns = columns.Select((c, i) => (c, i)).Where(x => x.c == 0).Select(x => $"\"{template.Columns[x.i].Name}\"").ToList();
        if (missingColumns.Count > 0)
        {
            errors.Add(new(0, 0, new CellError(string.Empty, $"Mẫu đã bị sửa: thiếu cột {string.Join(", ", missingColumns)} ở dòng tiêu đề {headerRow}.")));
        }

        var rows = MatchRows(sheet, template, headerRow + template.HeaderRowCount - 1, sttColumn, labelColumn, errors);
        var outcome = Figures(sheet, template, rules, rows, columns, errors);
        errors.Sort((a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Column.CompareTo(b.Column));
        var located = outcome is null || errors.Count > 0
            ? new StatisticsOutcome(null, errors.Count > 0 ? errors.Select(e => e.Error).ToList() : [new CellError(string.Empty, "Mẫu chưa có số liệu nào: hãy điền số liệu của đơn vị rồi gửi lại.")])
            : new StatisticsOutcome(new StatisticsReport(outcome, UnitName(sheet, headerRow)), []);
        return located with { Sheet = sheet.Name, Anchor = SpreadsheetReader.CellName(headerRow, labelColumn) };
    }

    /// <summary>Every figure read and checked; null when the table holds no figure at all (the blank template sent back).</summary>
    private static int[,]? Figures(SheetCells sheet, ReportTemplate template, TemplateRules rules, int[] rows, int[] columns, List<Located> errors)
    {
        var values = new int[template.RowCount, template.ColumnCount];
        var valid = new bool[template.RowCount, template.ColumnCount];
        var entered = new int?[template.RowCount, template.ColumnCount];
        var blanks = new List<Located>();
        var anyFigure = false;
        for (var r = 0; r < template.RowCount; r++)
        {
            for (var c = 0; c < template.ColumnCount; c++)
            {
                var kind = template.KindOf(r, c, rules);
                if (rows[r] == 0 || columns[c] == 0 || kind == CellKind.NotApplicable)
                {
                    continue;
                }

                var cell = sheet[rows[r], columns[c]];
                anyFigure |= cell is { IsBlank: false };
                if (kind == CellKind.Total && cell is null or { IsBlank: true } or { IsFormulaWithoutValue: true })
                {
                    valid[r, c] = true; // computed below
                    continue;
                }

                if (cell is null or { IsBlank: true })
                {
                    valid[r, c] = true;
                    if (rules.Blanks == BlankCells.Required && kind == CellKind.Figure)
                    {
                        var name = SpreadsheetReader.CellName(rows[r], columns[c]);
                        blanks.Add(new(rows[r], columns[c], new CellError(name, $"Ô {name}: chưa điền số liệu; mẫu yêu cầu điền đủ mọi ô (ghi 0 nếu không có).")));
                    }

                    continue;
                }

                if (Count(cell, rows[r], columns[c]) is { } error)
                {
                    errors.Add(new(rows[r], columns[c], error));
                    continue;
                }

                var value = cell.Value.Number is { } n ? (int)n : ParseText(cell.Value.Text) ?? 0;
                valid[r, c] = true;
                if (kind == CellKind.Total)
                {
                    entered[r, c] = value;
                }
                else
                {
                    values[r, c] = value;
                }
            }
        }

        if (!anyFigure && errors.Count == 0)
        {
            return null;
        }

        errors.AddRange(blanks);
        if (rules.TotalsAreSums)
        {
            Sums(template, rules, rows, columns, values, valid, entered, errors);
        }

        foreach (var bound in rules.Bounds)
        {
            for (var c = 0; c < template.ColumnCount; c++)
            {
                var (r, limit) = (bound.Row, bound.Limit);
                if (rows[r] == 0 || rows[limit] == 0 || columns[c] == 0 || !valid[r, c] || !valid[limit, c]
                    || template.KindOf(r, c, rules) == CellKind.NotApplicable || template.KindOf(limit, c, rules) == CellKind.NotApplicable
                    || values[r, c] <= values[limit, c])
                {
                    continue;
                }

                var cell = SpreadsheetReader.CellName(rows[r], columns[c]);
                var total = SpreadsheetReader.CellName(rows[limit], columns[c]);
                var what = LowerFirst(template.Rows[limit].Label);
                errors.Add(new(rows[r], columns[c], new CellError(cell, $"Ô {cell}: {Format(values[r, c])} lớn hơn {what} ở ô {total} ({Format(values[limit, c])}); số này không thể vượt quá {what}.")));
            }
        }

        return values;
    }

    /// <summary>
    /// The total row and column as the sums of their parts (the corner: of every figure); a total the
    /// unit wrote is checked against its sum, a blank one is filled in. A sum with an invalid part is
    /// left unchecked: the part's own error says what to fix.
    /// </summary>
    private static void Sums(ReportTemplate template, TemplateRules rules, int[] rows, int[] columns, int[,] values, bool[,] valid, int?[,] entered, List<Located> errors)
    {
        var totalRow = template.TotalRow;
        var totalColumn = template.TotalColumn;
        for (var r = 0; r < template.RowCount; r++)
        {
            for (var c = 0; c < template.ColumnCount; c++)
            {
                if (template.KindOf(r, c, rules) != CellKind.Total)
                {
                    continue;
                }

                long sum = 0;
                var complete = true;
                for (var i = 0; i < template.RowCount; i++)
                {
                    for (var j = 0; j < template.ColumnCount; j++)
                    {
                        var part = (r == totalRow ? i != totalRow : i == r) && (c == totalColumn ? j != totalColumn : j == c);
                        if (part && template.KindOf(i, j, rules) == CellKind.Figure)
                        {
                            sum += values[i, j];
                            complete &= valid[i, j] && rows[i] != 0 && columns[j] != 0;
                        }
                    }
                }

                values[r, c] = (int)Math.Min(sum, int.MaxValue);
                if (complete && entered[r, c] is { } written && written != sum && rows[r] != 0 && columns[c] != 0)
                {
                    var cell = SpreadsheetReader.CellName(rows[r], columns[c]);
                    var of = r == totalRow && c == totalColumn ? "cộng mọi ô" : r == totalRow ? "cộng các dòng" : "cộng các cột";
                    errors.Add(new(rows[r], columns[c], new CellError(cell, $"Ô {cell}: tổng ghi {Format(written)} nhưng {of} được {Format(sum)}; hãy sửa cho khớp.")));
                }
            }
        }
    }

    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLower(text[0], Time.VietnamTime.Culture) + text[1..] : text;

    /// <summary>The sheet row of each template row (0 where it is missing), found by label — or by STT, with the label then reported as altered.</summary>
    private static int[] MatchRows(SheetCells sheet, ReportTemplate template, int lastHeaderRow, int sttColumn, int labelColumn, List<Located> errors)
    {
        // The rows below the header that may hold the table, each with its label and STT read once.
        var candidates = new List<(int Row, string? Label, string? Stt)>();
        foreach (var r in sheet.Rows)
        {
            if (r > lastHeaderRow && r <= lastHeaderRow + template.RowCount + ExtraRows)
            {
                candidates.Add((r, sheet[r, labelColumn]?.Text, sttColumn == 0 ? null : SttOf(sheet[r, sttColumn])));
            }
        }

        var used = new bool[candidates.Count];
        var rows = new int[template.RowCount];
        var previous = -1;
        for (var index = 0; index < template.RowCount; index++)
        {
            var row = template.Rows[index];
            var found = Find(candidates.Count, previous, k => !used[k] && IsRowLabel(candidates[k].Label, row));
            if (found < 0 && row.Stt.Length > 0)
            {
                var stt = SttKey(row.Stt);
                found = Find(candidates.Count, previous, k => !used[k] && candidates[k].Stt == stt);
                if (found >= 0 && candidates[found].Label is { } label && !string.IsNullOrWhiteSpace(label))
                {
                    var name = SpreadsheetReader.CellName(candidates[found].Row, labelColumn);
                    errors.Add(new(candidates[found].Row, labelColumn, new CellError(name, $"Ô {name}: nội dung dòng {row.Stt} không đúng mẫu (\"{label.Trim()}\"); mẫu ghi \"{row.Label}\".")));
                }
            }

            if (found < 0)
            {
                var which = row.Stt.Length > 0 ? $"dòng {row.Stt} " : string.Empty;
                errors.Add(new(0, 0, new CellError(string.Empty, $"Mẫu đã bị sửa: không tìm thấy {which}(\"{row.Label}\").")));
                continue;
            }

            used[found] = true;
            previous = found;
            rows[index] = candidates[found].Row;
        }

        return rows;
    }

    /// <summary>The first index after <paramref name="previous"/> that matches, else the first before it; -1 for none.</summary>
    private static int Find(int count, int previous, Func<int, bool> matches)
    {
        for (var k = previous + 1; k < count; k++)
        {
            if (matches(k))
            {
                return k;
            }
        }

        for (var k = 0; k <= previous && k < count; k++)
        {
            if (matches(k))
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>Whether a cell's text is the template row's label (a printed template may shorten or extend it slightly).</summary>
    private static bool IsRowLabel(string? text, TemplateRow row)
    {
        if (text is null)
        {
            return false;
        }

        var written = text.AsSpan().Trim().TrimEnd('.');
        var label = row.Label.AsSpan().TrimEnd('.');
        if (written.SequenceEqual(label) || written.Equals(label, StringComparison.OrdinalIgnoreCase))
        {
            return true; // the common case: the template's own words, no folding needed
        }

        var key = ReportTemplate.Key(text);
        var expected = ReportTemplate.Key(row.Label);
        return key.Length > 0 && (key == expected || (key.Length >= 12 && expected.Length >= 12 && (expected.StartsWith(key, StringComparison.Ordinal) || key.StartsWith(expected, StringComparison.Ordinal))));
    }

    /// <summary>The header: its row, the STT and label columns, and the sheet column of each template column (0 where missing); null when the sheet has none.</summary>
    private static (int Row, int Stt, int Label, int[] Columns)? FindHeader(SheetCells sheet, ReportTemplate template)
    {
        var labelKey = template.LabelHeaderKey;
        foreach (var row in sheet.Rows)
        {
            int stt = 0, label = 0;
            foreach (var (column, cell) in sheet.Row(row))
            {
                if (cell.Text is not { Length: <= ReportTemplate.MaxHeaderLabelLength } text)
                {
                    continue;
                }

                // Folded once, and only when the text is not written as in the template.
                var trimmed = text.Trim();
                string? key = null;
                if (label == 0 && (trimmed.Equals(template.LabelHeader, StringComparison.OrdinalIgnoreCase) || (key ??= ReportTemplate.Key(trimmed)) == labelKey))
                {
                    label = column;
                }
                else if (stt == 0 && (trimmed.Equals("STT", StringComparison.OrdinalIgnoreCase) || SttKeys.Contains(key ??= ReportTemplate.Key(trimmed))))
                {
                    stt = column;
                }
            }

            if (label == 0)
            {
                continue;
            }

            var columns = MatchColumns(TemplateReader.HeaderColumns(sheet, row, template.HeaderRowCount, label), template);
            if (columns.Count(c => c > 0) >= Math.Min(2, template.ColumnCount))
            {
                return (row, stt, label, columns);
            }
        }

        return null;
    }

    private static readonly HashSet<string> SttKeys = new(StringComparer.Ordinal) { "stt", "tt", "so tt", "so thu tu", "s tt" };

    /// <summary>Each template column's sheet column: by its full key (group and label), else by its label alone, left to right.</summary>
    private static int[] MatchColumns(List<TemplateColumn> written, ReportTemplate template)
    {
        var columns = new int[template.ColumnCount];
        // A header written as in the template (the common case) takes the template's keys without folding.
        var keys = written.Select(w =>
        {
            for (var j = 0; j < template.ColumnCount; j++)
            {
                if (string.Equals(template.Columns[j].Label, w.Label, StringComparison.Ordinal) && string.Equals(template.Columns[j].Group, w.Group, StringComparison.Ordinal))
                {
                    return template.ColumnKeys[j];
                }
            }

            return (Full: KeyOf(w), Label: HeaderKey(w.Label));
        }).ToList();
        var used = new bool[written.Count];
        var previous = -1;
        for (var j = 0; j < template.ColumnCount; j++)
        {
            var (full, label) = template.ColumnKeys[j];
            var found = Find(written.Count, previous, k => !used[k] && keys[k].Full == full);
            if (found < 0)
            {
                found = Find(written.Count, previous, k => !used[k] && keys[k].Label == label && k > previous);
            }

            if (found >= 0)
            {
                used[found] = true;
                previous = found;
                columns[j] = written[found].SheetColumn;
            }
        }

        return columns;
    }

    /// <summary>A written header's key, the 643 labels (written as in the template) without folding.</summary>
    private static string KeyOf(TemplateColumn column) => column.Group is null ? HeaderKey(column.Label) : HeaderKey(column.Group) + "|" + HeaderKey(column.Label);

    private static string HeaderKey(string text)
    {
        for (var i = 0; i < StatisticsTemplate.ColumnLabels.Count; i++)
        {
            if (text.Equals(StatisticsTemplate.ColumnLabels[i], StringComparison.OrdinalIgnoreCase))
            {
                return StatisticsTemplate.ColumnKeys[i];
            }
        }

        return ReportTemplate.Key(text);
    }

    /// <summary>An STT as compared: "1", "1.", " 1 " and the number 1 are the same; "I" and "i" too.</summary>
    private static string SttKey(string stt) => stt.Trim().TrimEnd('.').ToUpperInvariant();

    private static string? SttOf(CellValue? cell) =>
        cell?.Number is { } n ? (n == Math.Floor(n) ? ((long)n).ToString(CultureInfo.InvariantCulture) : n.ToString(CultureInfo.InvariantCulture))
        : cell?.Text is { } t && t.Length <= 20 ? SttKey(t)
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
                    var name = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Normalize(System.Text.NormalizationForm.FormC);
                    return name.Any(char.IsLetterOrDigit) ? name : null; // "Đơn vị: ………" is the blank template's line
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
        || ReportTemplate.Key(line).StartsWith("don vi:", StringComparison.Ordinal);

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
