using System.IO.Compression;
using System.Security;
using System.Text;

namespace ServerlessWorkflow.Tests.Domain.Statistics;

/// <summary>Writes small .xlsx files the way different producers do, for parser tests.</summary>
public sealed class XlsxFixture
{
    private readonly List<(string Name, string Xml, bool Hidden)> _sheets = [];
    private readonly List<string> _shared = [];

    public bool InlineStrings { get; init; }

    /// <summary>
    /// A sheet from rows of cells: null = empty, string = text, int/double = number, "=F:12" = formula with
    /// cached 12, "=F" = formula without cache; <paramref name="merges"/> are merged ranges ("D1:E1").
    /// </summary>
    public XlsxFixture Sheet(string name, IEnumerable<(int Row, object?[] Cells)> rows, bool hidden = false, int firstColumn = 1, string? doctype = null, IReadOnlyList<string>? merges = null)
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>");
        xml.Append(doctype);
        xml.Append("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        foreach (var (row, cells) in rows)
        {
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<row r=\"{row}\">");
            for (var i = 0; i < cells.Length; i++)
            {
                var reference = ServerlessWorkflow.Domain.Statistics.SpreadsheetReader.CellName(row, firstColumn + i);
                xml.Append(cells[i] switch
                {
                    null => string.Empty,
                    string s when s.StartsWith("=F:", StringComparison.Ordinal) => $"<c r=\"{reference}\"><f>SUM(A1:A2)</f><v>{s[3..]}</v></c>",
                    "=F" => $"<c r=\"{reference}\"><f>SUM(A1:A2)</f></c>",
                    string s when InlineStrings => $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(s)}</t></is></c>",
                    string s => $"<c r=\"{reference}\" t=\"s\"><v>{Shared(s)}</v></c>",
                    IFormattable n => $"<c r=\"{reference}\"><v>{n.ToString(null, System.Globalization.CultureInfo.InvariantCulture)}</v></c>",
                    _ => throw new ArgumentException("unsupported cell"),
                });
            }

            xml.Append("</row>");
        }

        xml.Append("</sheetData>");
        if (merges is { Count: > 0 })
        {
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<mergeCells count=\"{merges.Count}\">");
            foreach (var range in merges)
            {
                xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<mergeCell ref=\"{range}\"/>");
            }

            xml.Append("</mergeCells>");
        }

        xml.Append("</worksheet>");
        _sheets.Add((name, xml.ToString(), hidden));
        return this;
    }

    /// <summary>The template filled with <paramref name="values"/> (7 rows × 4), laid out like the shared sample.</summary>
    public static IEnumerable<(int, object?[])> Template(object?[,] values, string title = "Thống kê số tổ chức đảng", string? unit = "Đơn vị: Đảng bộ Sở Tài chính", Func<string, string>? labels = null)
    {
        labels ??= s => s;
        yield return (1, ["BÁO CÁO"]);
        yield return (2, [title]);
        if (unit is not null)
        {
            yield return (4, [unit]);
        }

        yield return (6, [labels("STT"), labels("Nội dung"), .. ServerlessWorkflow.Domain.Statistics.StatisticsTemplate.ColumnLabels.Select(labels)]);
        for (var r = 0; r < 7; r++)
        {
            yield return (7 + r, [r + 1, labels(ServerlessWorkflow.Domain.Statistics.StatisticsTemplate.RowLabels[r]), values[r, 0], values[r, 1], values[r, 2], values[r, 3]]);
        }
    }

    public static object?[,] Figures(int total = 10)
    {
        var values = new object?[7, 4];
        for (var r = 0; r < 7; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                values[r, c] = r == 0 ? total : r == 6 ? total * 30 : Math.Max(0, total - r);
            }
        }

        values[6, 0] = total; // row 7 counts members, it may exceed row 1; keep it simple here
        return values;
    }

    public byte[] Build()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>");
            Write(zip, "_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            var sheets = string.Concat(_sheets.Select((s, i) => $"<sheet name=\"{SecurityElement.Escape(s.Name)}\" sheetId=\"{i + 1}\"{(s.Hidden ? " state=\"hidden\"" : string.Empty)} r:id=\"rId{i + 1}\"/>"));
            Write(zip, "xl/workbook.xml", $"<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>{sheets}</sheets></workbook>");
            var rels = string.Concat(_sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"));
            Write(zip, "xl/_rels/workbook.xml.rels", $"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>");
            for (var i = 0; i < _sheets.Count; i++)
            {
                Write(zip, $"xl/worksheets/sheet{i + 1}.xml", _sheets[i].Xml);
            }

            if (_shared.Count > 0)
            {
                Write(zip, "xl/sharedStrings.xml", "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" + string.Concat(_shared.Select(s => $"<si><t xml:space=\"preserve\">{SecurityElement.Escape(s)}</t></si>")) + "</sst>");
            }
        }

        return stream.ToArray();
    }

    private int Shared(string text)
    {
        var index = _shared.IndexOf(text);
        if (index < 0)
        {
            _shared.Add(text);
            index = _shared.Count - 1;
        }

        return index;
    }

    private static void Write(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
