using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>One unit's line in the export.</summary>
public sealed record ExportUnit(string Name, string Level, string State, int[,]? Values);

/// <summary>
/// What the consolidated workbook shows: the directive, the totals and each unit's line; the template
/// (its layout and the office's file; 643's when not given), and which moment the figures are of
/// (<see cref="AtDeadline"/>: the figures in force when the deadline passed).
/// </summary>
public sealed record StatisticsExport(string DirectiveNumber, DateOnly IssuedOn, string Issuer, string TaskTitle, Totals Totals, IReadOnlyList<ExportUnit> Units)
{
    public ReportTemplate Template { get; init; } = ReportTemplate.Official643;

    /// <summary>The office's template file; null for 643's.</summary>
    public byte[]? TemplateFile { get; init; }

    /// <summary>The deadline, when the figures are those in force at it ("số liệu tại hạn"); null for the figures now.</summary>
    public DateOnly? AtDeadline { get; init; }
}

/// <summary>
/// Writes the consolidated report into a copy of the office's own template file: its title,
/// formatting, merged cells and widths kept, the totals written into the table's cells (a cell with a
/// formula keeps it, with the total as its value), the "Đơn vị:" line saying what was consolidated,
/// the sheet renamed "Tổng hợp"; then sheet "Theo đơn vị" with each unit's figures and sheet "Chưa báo
/// cáo" listing units without accepted figures. Every piece of text written — unit names, the
/// directive's subject — is an inline string cell, never a formula: a name that starts with "=", "+",
/// "-" or "@" stays text in Excel and LibreOffice.
/// </summary>
public static class StatisticsWorkbook
{
    public const string TotalsSheet = "Tổng hợp";
    public const string UnitsSheet = "Theo đơn vị";
    public const string MissingSheet = "Chưa báo cáo";

    public static byte[] Write(StatisticsExport export)
    {
        var file = export.TemplateFile ?? ReportTemplate.Official643File();
        var template = export.Template;
        var package = XlsxPackage.Open(file);
        var sheetPart = package.SheetPart(template.SheetName);
        var sheet = package.Xml(sheetPart)!;
        var totals = export.Totals.Shaped(template.RowCount, template.ColumnCount);
        for (var r = 0; r < template.RowCount; r++)
        {
            for (var c = 0; c < template.ColumnCount; c++)
            {
                if (!template.NotApplicable.Contains(new GridCell(r, c)))
                {
                    SetNumber(XlsxPackage.Cell(sheet, SpreadsheetReader.CellName(template.Rows[r].SheetRow, template.Columns[c].SheetColumn)), totals.Values[r, c]);
                }
            }
        }

        var caption = Caption(export);
        var unitLine = UnitLine(file, template);
        if (unitLine is not null)
        {
            SetText(XlsxPackage.Cell(sheet, unitLine), "Đơn vị: " + caption);
        }

        var styles = package.Styles();
        var bold = XlsxPackage.Append(styles, "fonts", new XElement(XlsxPackage.Main + "font", new XElement(XlsxPackage.Main + "b"), new XElement(XlsxPackage.Main + "sz", new XAttribute("val", 11))));
        var thin = XlsxPackage.Append(styles, "borders", new XElement(
            XlsxPackage.Main + "border",
            new XElement(XlsxPackage.Main + "left", new XAttribute("style", "thin")),
            new XElement(XlsxPackage.Main + "right", new XAttribute("style", "thin")),
            new XElement(XlsxPackage.Main + "top", new XAttribute("style", "thin")),
            new XElement(XlsxPackage.Main + "bottom", new XAttribute("style", "thin"))));
        var header = XlsxPackage.Append(styles, "cellXfs", new XElement(
            XlsxPackage.Main + "xf", new XAttribute("numFmtId", 0), new XAttribute("fontId", bold), new XAttribute("fillId", 0), new XAttribute("borderId", thin), new XAttribute("xfId", 0),
            new XAttribute("applyFont", 1), new XAttribute("applyBorder", 1),
            new XElement(XlsxPackage.Main + "alignment", new XAttribute("horizontal", "center"), new XAttribute("vertical", "center"), new XAttribute("wrapText", 1))));
        var body = XlsxPackage.Append(styles, "cellXfs", new XElement(
            XlsxPackage.Main + "xf", new XAttribute("numFmtId", 0), new XAttribute("fontId", 0), new XAttribute("fillId", 0), new XAttribute("borderId", thin), new XAttribute("xfId", 0),
            new XAttribute("applyBorder", 1), new XElement(XlsxPackage.Main + "alignment", new XAttribute("vertical", "center"), new XAttribute("wrapText", 1))));

        var names = Rename(package, template.SheetName);
        AddSheet(package, Unique(names, UnitsSheet), Sheet(UnitRows(export, unitLine is null ? caption : null), header, body), [40, 24, 16, .. Enumerable.Repeat(12, Math.Min(300, template.RowCount * template.ColumnCount))]);
        AddSheet(package, Unique(names, MissingSheet), Sheet(MissingRows(export), header, body), [40, 24, 24]);
        RecalculateOnOpen(package);
        return package.Save();
    }

    private static string Caption(StatisticsExport e)
    {
        var moment = e.AtDeadline is { } day ? $"; số liệu tại hạn {day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}" : string.Empty;
        return $"{e.Issuer} — tổng hợp {e.Totals.Reported} đơn vị đã báo cáo theo Công văn số {e.DirectiveNumber} ngày {e.IssuedOn.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)} ({e.TaskTitle}){moment}";
    }

    /// <summary>The template's "Đơn vị: …" cell above its table, if it has one.</summary>
    private static string? UnitLine(byte[] file, ReportTemplate template)
    {
        var sheet = SpreadsheetReader.ReadXlsx(file).FirstOrDefault(s => s.Name == template.SheetName);
        return sheet?.Cells.Where(c => c.Key.Row < template.HeaderRow && c.Value.Text is { } t && ReportTemplate.Key(t).StartsWith("don vi", StringComparison.Ordinal))
            .OrderBy(c => c.Key.Row).Select(c => SpreadsheetReader.CellName(c.Key.Row, c.Key.Column)).FirstOrDefault();
    }

    private static void SetNumber(XElement cell, long value)
    {
        cell.Attribute("t")?.Remove();
        cell.Elements().Where(e => e.Name.LocalName != "f").Remove();
        cell.Add(new XElement(XlsxPackage.Main + "v", value.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Text as an inline string: never a formula, whatever it starts with.</summary>
    internal static void SetText(XElement cell, string text)
    {
        cell.SetAttributeValue("t", "inlineStr");
        cell.Elements().Remove();
        cell.Add(new XElement(XlsxPackage.Main + "is", new XElement(XlsxPackage.Main + "t", new XAttribute(XNamespace.Xml + "space", "preserve"), Common.Text.ForXml(text))));
    }

    /// <summary>Renames the table's sheet "Tổng hợp" (and the workbook's names that point at it); returns every sheet name now in use.</summary>
    private static HashSet<string> Rename(XlsxPackage package, string sheetName)
    {
        var workbook = package.Xml("xl/workbook.xml")!.Root!;
        var sheets = workbook.Element(XlsxPackage.Main + "sheets")!.Elements(XlsxPackage.Main + "sheet").ToList();
        var names = sheets.Select(s => (string?)s.Attribute("name") ?? string.Empty).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var target = sheets.FirstOrDefault(s => (string?)s.Attribute("name") == sheetName) ?? sheets[0];
        var old = (string?)target.Attribute("name") ?? string.Empty;
        if (old != TotalsSheet && !names.Contains(TotalsSheet))
        {
            target.SetAttributeValue("name", TotalsSheet);
            names.Remove(old);
            names.Add(TotalsSheet);
            foreach (var name in workbook.Descendants(XlsxPackage.Main + "definedName"))
            {
                name.Value = name.Value.Replace($"'{old.Replace("'", "''", StringComparison.Ordinal)}'!", $"'{TotalsSheet}'!", StringComparison.Ordinal)
                    .Replace($"{old}!", $"'{TotalsSheet}'!", StringComparison.Ordinal);
            }
        }

        return names;
    }

    private static string Unique(HashSet<string> names, string name)
    {
        var unique = name;
        for (var i = 2; names.Contains(unique); i++)
        {
            unique = string.Create(CultureInfo.InvariantCulture, $"{name} ({i})");
        }

        names.Add(unique);
        return unique;
    }

    private static void AddSheet(XlsxPackage package, string name, (IEnumerable<object?[]> Rows, int Header, int Body) content, int[] widths)
    {
        var part = package.NewPartName("xl/worksheets/sheet", ".xml");
        package.PutText(part, SheetXml(content.Rows, content.Header, content.Body, widths));
        package.AddOverride(part, "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
        var id = package.AddRelationship("xl/workbook.xml", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet", part["xl/".Length..]);
        var sheets = package.Xml("xl/workbook.xml")!.Root!.Element(XlsxPackage.Main + "sheets")!;
        var sheetId = sheets.Elements(XlsxPackage.Main + "sheet").Select(s => int.TryParse((string?)s.Attribute("sheetId"), CultureInfo.InvariantCulture, out var n) ? n : 0).DefaultIfEmpty(0).Max() + 1;
        sheets.Add(new XElement(XlsxPackage.Main + "sheet", new XAttribute("name", name), new XAttribute("sheetId", sheetId), new XAttribute(XlsxPackage.OfficeRelationships + "id", id)));
    }

    /// <summary>Formulas of the template (a total as =SUM) are computed again when the file is opened.</summary>
    private static void RecalculateOnOpen(XlsxPackage package)
    {
        var workbook = package.Xml("xl/workbook.xml")!.Root!;
        var calc = workbook.Element(XlsxPackage.Main + "calcPr");
        if (calc is null)
        {
            calc = new XElement(XlsxPackage.Main + "calcPr");
            var after = workbook.Element(XlsxPackage.Main + "definedNames") ?? workbook.Element(XlsxPackage.Main + "sheets")!;
            after.AddAfterSelf(calc);
        }

        calc.SetAttributeValue("fullCalcOnLoad", "1");
    }

    private static (IEnumerable<object?[]>, int, int) Sheet(IEnumerable<object?[]> rows, int header, int body) => (rows, header, body);

    private static IEnumerable<object?[]> UnitRows(StatisticsExport e, string? caption)
    {
        var t = e.Template;
        if (caption is not null)
        {
            yield return [caption];
        }

        var headers = new List<object?> { new Styled("Đơn vị"), new Styled("Cấp"), new Styled("Trạng thái") };
        var cells = new List<(int Row, int Column)>();
        for (var r = 0; r < t.RowCount; r++)
        {
            for (var c = 0; c < t.ColumnCount; c++)
            {
                if (!t.NotApplicable.Contains(new GridCell(r, c)))
                {
                    cells.Add((r, c));
                    headers.Add(new Styled($"Dòng {(t.Rows[r].Stt.Length > 0 ? t.Rows[r].Stt : (r + 1).ToString(CultureInfo.InvariantCulture))} – {t.Columns[c].Name}"));
                }
            }
        }

        yield return headers.ToArray();
        foreach (var unit in e.Units.Where(u => u.Values is not null))
        {
            yield return [unit.Name, unit.Level, unit.State, .. cells.Select(x => (object?)(long)unit.Values![x.Row, x.Column])];
        }
    }

    private static IEnumerable<object?[]> MissingRows(StatisticsExport e)
    {
        yield return [new Styled("Đơn vị chưa có số liệu được chấp nhận"), new Styled("Cấp"), new Styled("Tình trạng")];
        foreach (var unit in e.Units.Where(u => u.Values is null))
        {
            yield return [unit.Name, unit.Level, unit.State];
        }
    }

    /// <summary>A header cell.</summary>
    private sealed record Styled(string Value);

    private const string MainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private static string SheetXml(IEnumerable<object?[]> rows, int header, int body, int[] widths)
    {
        var output = new StringBuilder();
        using (var writer = XmlWriter.Create(output, new XmlWriterSettings { OmitXmlDeclaration = false }))
        {
            writer.WriteStartDocument(standalone: true);
            writer.WriteStartElement("worksheet", MainNamespace);
            writer.WriteStartElement("cols", MainNamespace);
            for (var i = 0; i < widths.Length; i++)
            {
                writer.WriteStartElement("col", MainNamespace);
                writer.WriteAttributeString("min", (i + 1).ToString(CultureInfo.InvariantCulture));
                writer.WriteAttributeString("max", (i + 1).ToString(CultureInfo.InvariantCulture));
                writer.WriteAttributeString("width", widths[i].ToString(CultureInfo.InvariantCulture));
                writer.WriteAttributeString("customWidth", "1");
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteStartElement("sheetData", MainNamespace);
            var rowNumber = 0;
            foreach (var row in rows)
            {
                rowNumber++;
                writer.WriteStartElement("row", MainNamespace);
                writer.WriteAttributeString("r", rowNumber.ToString(CultureInfo.InvariantCulture));
                for (var i = 0; i < row.Length; i++)
                {
                    var (value, style) = row[i] is Styled s ? (s.Value, header) : (row[i], row.Length > 1 ? body : 0);
                    if (value is null)
                    {
                        continue;
                    }

                    writer.WriteStartElement("c", MainNamespace);
                    writer.WriteAttributeString("r", SpreadsheetReader.CellName(rowNumber, i + 1));
                    if (style > 0)
                    {
                        writer.WriteAttributeString("s", style.ToString(CultureInfo.InvariantCulture));
                    }

                    if (value is long number)
                    {
                        writer.WriteElementString("v", MainNamespace, number.ToString(CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        // Text is always an inline string: never <f>, so nothing a person typed can become a formula.
                        writer.WriteAttributeString("t", "inlineStr");
                        writer.WriteStartElement("is", MainNamespace);
                        writer.WriteStartElement("t", MainNamespace);
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
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return output.ToString().Replace("encoding=\"utf-16\"", "encoding=\"UTF-8\"", StringComparison.Ordinal);
    }
}
