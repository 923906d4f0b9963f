using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>One unit's line in the export.</summary>
public sealed record ExportUnit(string Name, string Level, string State, int[,]? Values);

/// <summary>What the consolidated workbook shows.</summary>
public sealed record StatisticsExport(string DirectiveNumber, DateOnly IssuedOn, string Issuer, string TaskTitle, Totals Totals, IReadOnlyList<ExportUnit> Units);

/// <summary>
/// Writes the consolidated report as .xlsx in the official template: sheet "Tổng hợp" with the
/// title, the directive, and the 7 × 4 table (it reads back as the template itself); sheet
/// "Theo đơn vị" with each unit's figures; sheet "Chưa báo cáo" listing units without accepted
/// figures. Every piece of text — unit names, the directive's subject — is an inline string cell,
/// never a formula: a name that starts with "=", "+", "-" or "@" stays text in Excel and LibreOffice.
/// </summary>
public static class StatisticsWorkbook
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    public static byte[] Write(StatisticsExport export)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Part(zip, "[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet3.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Part(zip, "_rels/.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Part(zip, "xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Tổng hợp" sheetId="1" r:id="rId1"/><sheet name="Theo đơn vị" sheetId="2" r:id="rId2"/><sheet name="Chưa báo cáo" sheetId="3" r:id="rId3"/></sheets></workbook>""");
            Part(zip, "xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>""");
            Part(zip, "xl/styles.xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Times New Roman"/></font><font><b/><sz val="11"/><name val="Times New Roman"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="2"><border/><border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/></border></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="4"><xf/><xf fontId="1" applyFont="1"><alignment horizontal="center" wrapText="1"/></xf><xf borderId="1" applyBorder="1"><alignment wrapText="1" vertical="center"/></xf><xf fontId="1" borderId="1" applyFont="1" applyBorder="1"><alignment horizontal="center" wrapText="1" vertical="center"/></xf></cellXfs></styleSheet>""");
            Sheet(zip, "xl/worksheets/sheet1.xml", TotalsSheet(export), "A1:F1,A2:F2,A3:F3", [6, 60, 16, 16, 16, 16]);
            Sheet(zip, "xl/worksheets/sheet2.xml", UnitsSheet(export), null, [40, 24, 16, .. Enumerable.Repeat(10, 28)]);
            Sheet(zip, "xl/worksheets/sheet3.xml", MissingSheet(export), null, [40, 24, 24]);
        }

        return stream.ToArray();
    }

    private static IEnumerable<object?[]> TotalsSheet(StatisticsExport e)
    {
        yield return [new Styled(StatisticsTemplate.Title, 1)];
        yield return [new Styled(StatisticsTemplate.Subtitle, 1)];
        yield return [new Styled($"(Tổng hợp theo Công văn số {e.DirectiveNumber} ngày {e.IssuedOn.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)} của {e.Issuer} — {e.TaskTitle}; {e.Totals.Reported} đơn vị đã báo cáo)", 0)];
        yield return [];
        yield return [];
        yield return [new Styled("STT", 3), new Styled("Nội dung", 3), .. StatisticsTemplate.ColumnLabels.Select(l => (object?)new Styled(l, 3))];
        for (var r = 0; r < StatisticsTemplate.RowCount; r++)
        {
            yield return [new Styled(r + 1, 2), new Styled(StatisticsTemplate.RowLabels[r], 2), .. Enumerable.Range(0, StatisticsTemplate.ColumnCount).Select(c => (object?)new Styled(e.Totals.Values[r, c], 2))];
        }
    }

    private static IEnumerable<object?[]> UnitsSheet(StatisticsExport e)
    {
        var headers = new List<object?> { new Styled("Đơn vị", 3), new Styled("Cấp", 3), new Styled("Trạng thái", 3) };
        for (var r = 0; r < StatisticsTemplate.RowCount; r++)
        {
            for (var c = 0; c < StatisticsTemplate.ColumnCount; c++)
            {
                headers.Add(new Styled($"Dòng {r + 1} – {StatisticsTemplate.ColumnLabels[c]}", 3));
            }
        }

        yield return headers.ToArray();
        foreach (var unit in e.Units.Where(u => u.Values is not null))
        {
            yield return [unit.Name, unit.Level, unit.State, .. unit.Values!.Cast<int>().Select(v => (object?)v)];
        }
    }

    private static IEnumerable<object?[]> MissingSheet(StatisticsExport e)
    {
        yield return [new Styled("Đơn vị chưa có số liệu được chấp nhận", 3), new Styled("Cấp", 3), new Styled("Tình trạng", 3)];
        foreach (var unit in e.Units.Where(u => u.Values is null))
        {
            yield return [unit.Name, unit.Level, unit.State];
        }
    }

    private sealed record Styled(object Value, int Style);

    private static void Sheet(ZipArchive zip, string path, IEnumerable<object?[]> rows, string? merges, int[] widths)
    {
        using var entry = zip.CreateEntry(path, CompressionLevel.Optimal).Open();
        using var writer = XmlWriter.Create(entry, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        writer.WriteStartDocument(standalone: true);
        writer.WriteStartElement("worksheet", Main);
        writer.WriteStartElement("cols", Main);
        for (var i = 0; i < widths.Length; i++)
        {
            writer.WriteStartElement("col", Main);
            writer.WriteAttributeString("min", (i + 1).ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("max", (i + 1).ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("width", widths[i].ToString(CultureInfo.InvariantCulture));
            writer.WriteAttributeString("customWidth", "1");
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteStartElement("sheetData", Main);
        var rowNumber = 0;
        foreach (var row in rows)
        {
            rowNumber++;
            writer.WriteStartElement("row", Main);
            writer.WriteAttributeString("r", rowNumber.ToString(CultureInfo.InvariantCulture));
            for (var i = 0; i < row.Length; i++)
            {
                var (value, style) = row[i] is Styled s ? (s.Value, s.Style) : (row[i], 0);
                if (value is null)
                {
                    continue;
                }

                writer.WriteStartElement("c", Main);
                writer.WriteAttributeString("r", SpreadsheetReader.CellName(rowNumber, i + 1));
                if (style > 0)
                {
                    writer.WriteAttributeString("s", style.ToString(CultureInfo.InvariantCulture));
                }

                if (value is int number)
                {
                    writer.WriteElementString("v", Main, number.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    // Text is always an inline string: never <f>, so nothing a person typed can become a formula.
                    writer.WriteAttributeString("t", "inlineStr");
                    writer.WriteStartElement("is", Main);
                    writer.WriteStartElement("t", Main);
                    writer.WriteAttributeString("xml", "space", null, "preserve");
                    writer.WriteString(Common.Text.ForXml(value.ToString() ?? string.Empty));
                    writer.WriteEndElement();
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        if (merges is not null)
        {
            writer.WriteStartElement("mergeCells", Main);
            foreach (var merge in merges.Split(','))
            {
                writer.WriteStartElement("mergeCell", Main);
                writer.WriteAttributeString("ref", merge);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteEndDocument();
    }

    private static void Part(ZipArchive zip, string path, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(path, CompressionLevel.Optimal).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }
}
