using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using DomainText = ServerlessWorkflow.Domain.Common.Text;
using ServerlessWorkflow.Domain.Reports;

namespace ServerlessWorkflow.Functions.Features.Reports;

/// <summary>
/// The follow-up report as a Word document (.docx, written with the Open XML SDK), in the usual
/// layout of a Party committee's report: A4, margins 2 / 1.5 / 2 / 3 cm, Times New Roman 14 pt; the
/// heading as a borderless two-column table (committee and number on the left, the motto and the
/// place and date on the right); "BÁO CÁO", its gist; the body (<see cref="FollowUpReport.Body"/>,
/// paragraphs justified with a first-line indent); the recipients and the signature side by side; the
/// appendix table on a page of its own, its header repeated on every page.
/// </summary>
public static class ReportDocument
{
    private const string Font = "Times New Roman";

    public static byte[] Write(FollowUpReport report, ReportHeading heading)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = Styles();
            var body = new Body();
            body.Append(Heading(heading));
            body.Append(Para("BÁO CÁO", bold: true, size: 32, centre: true, before: 360, after: 0));
            body.Append(Para(report.Gist, bold: true, centre: true, after: 0));
            body.Append(Para("-----", centre: true, after: 240));
            foreach (var block in report.Body.Where(b => b is not ReportTable))
            {
                body.Append(Block(block));
            }

            body.Append(Closing(heading));
            foreach (var table in report.Body.OfType<ReportTable>())
            {
                body.Append(new Paragraph(new Run(new Break { Type = BreakValues.Page })));
                body.Append(Para(table.Caption, bold: true, centre: true));
                body.Append(Appendix(table));
            }

            body.Append(new SectionProperties(
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 1134, Bottom = 1134, Left = 1701, Right = 850, Header = 720, Footer = 720, Gutter = 0 }));
            main.Document = new Document(body);
        }

        return stream.ToArray();
    }

    private static Styles Styles() => new(
        new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(
                new RunFonts { Ascii = Font, HighAnsi = Font, ComplexScript = Font, EastAsia = Font },
                new FontSize { Val = "28" },
                new FontSizeComplexScript { Val = "28" },
                new Languages { Val = "vi-VN" })),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                new SpacingBetweenLines { After = "120", Line = "300", LineRule = LineSpacingRuleValues.Auto }))));

    private static OpenXmlElement[] Block(ReportBlock block) => block switch
    {
        ReportSection s => [Para(s.Text, bold: true, before: 120)],
        ReportSubsection s => [Para(s.Text, bold: true, italic: true, indent: true)],
        ReportParagraph p => [Para(p.Text, indent: true, justify: true)],
        ReportList l => l.Items.Select(i => (OpenXmlElement)Para("- " + i, indent: true, justify: true)).ToArray(),
        _ => [],
    };

    /// <summary>The committee and number (left), the motto and place and date (right), without borders.</summary>
    private static Table Heading(ReportHeading h)
    {
        var left = new List<OpenXmlElement>();
        if (h.Parent.Length > 0)
        {
            left.Add(Para(h.Parent.ToUpper(Domain.Time.VietnamTime.Culture), centre: true, after: 0, size: 26));
        }

        left.Add(Para(h.Committee.ToUpper(Domain.Time.VietnamTime.Culture), bold: h.Parent.Length == 0, centre: true, after: 0, size: 26));
        left.Add(Para(h.Office.ToUpper(Domain.Time.VietnamTime.Culture), bold: true, centre: true, after: 0, size: 26));
        left.Add(Para("*", centre: true, after: 0));
        left.Add(Para(h.NumberLine, centre: true, after: 0));
        var right = new List<OpenXmlElement>
        {
            Para(ReportHeading.Motto, bold: true, underline: true, centre: true, after: 240, size: 30),
            Para(h.PlaceAndDate, italic: true, centre: true, after: 0),
        };
        return Borderless([4000, 5355], left, right);
    }

    /// <summary>"Nơi nhận:" and its lines (left, 12 pt), the signer's title, room to sign, and name (right).</summary>
    private static Table Closing(ReportHeading h)
    {
        var left = new List<OpenXmlElement> { Para("Nơi nhận:", bold: true, italic: true, after: 0, size: 24) };
        left.AddRange(h.Recipients.Select((r, i) => Para("- " + r + (i == h.Recipients.Count - 1 ? "." : ","), after: 0, size: 22)));
        var right = h.SignerTitle.Select(t => (OpenXmlElement)Para(t.ToUpper(Domain.Time.VietnamTime.Culture), bold: true, centre: true, after: 0)).ToList();
        right.AddRange(Enumerable.Range(0, 4).Select(_ => Para(string.Empty, after: 0)));
        right.Add(Para(h.SignerName, bold: true, centre: true, after: 0));
        return Borderless([4300, 5055], left, right);
    }

    private static Table Borderless(int[] widths, IReadOnlyList<OpenXmlElement> left, IReadOnlyList<OpenXmlElement> right)
    {
        var table = new Table(
            new TableProperties(
                new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
                new TableBorders(
                    new TopBorder { Val = BorderValues.None }, new BottomBorder { Val = BorderValues.None },
                    new LeftBorder { Val = BorderValues.None }, new RightBorder { Val = BorderValues.None },
                    new InsideHorizontalBorder { Val = BorderValues.None }, new InsideVerticalBorder { Val = BorderValues.None }),
                new TableLayout { Type = TableLayoutValues.Fixed }),
            new TableGrid(widths.Select(w => new GridColumn { Width = w.ToString(System.Globalization.CultureInfo.InvariantCulture) })));
        table.Append(new TableRow(Cell(widths[0], left), Cell(widths[1], right)));
        return table;
    }

    /// <summary>The appendix: thin borders, the header row bold and repeated on each page, rows kept whole.</summary>
    private static Table Appendix(ReportTable t)
    {
        var border = (BorderType b) => { b.Val = BorderValues.Single; b.Size = 4; return b; };
        var table = new Table(new TableProperties(
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(
                border(new TopBorder()), border(new BottomBorder()), border(new LeftBorder()), border(new RightBorder()),
                border(new InsideHorizontalBorder()), border(new InsideVerticalBorder()))));
        table.Append(Row(new TableRowProperties(new CantSplit(), new TableHeader()), t.Headers.Select(h => Cell(null, [Para(h, bold: true, centre: true, after: 0, size: 24)]))));
        foreach (var row in t.Rows)
        {
            table.Append(Row(new TableRowProperties(new CantSplit()), row.Select((value, i) => Cell(null, [Para(value, after: 0, size: 24, centre: i != 1)]))));
        }

        return table;
    }

    private static TableRow Row(TableRowProperties properties, IEnumerable<TableCell> cells)
    {
        var row = new TableRow(properties);
        row.Append(cells);
        return row;
    }

    private static TableCell Cell(int? width, IEnumerable<OpenXmlElement> content)
    {
        var cell = new TableCell();
        if (width is { } w)
        {
            cell.Append(new TableCellProperties(new TableCellWidth { Width = w.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa }));
        }

        cell.Append(content);
        return cell;
    }

    private static Paragraph Para(
        string text, bool bold = false, bool italic = false, bool underline = false, bool centre = false, bool justify = false, bool indent = false,
        int? size = null, int? before = null, int? after = null)
    {
        var properties = new ParagraphProperties();
        if (before is not null || after is not null)
        {
            properties.Append(new SpacingBetweenLines { Before = before?.ToString(System.Globalization.CultureInfo.InvariantCulture), After = after?.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        if (indent)
        {
            properties.Append(new Indentation { FirstLine = "720" });
        }

        if (centre || justify)
        {
            properties.Append(new Justification { Val = centre ? JustificationValues.Center : JustificationValues.Both });
        }

        var run = new RunProperties();
        if (bold)
        {
            run.Append(new Bold());
        }

        if (italic)
        {
            run.Append(new Italic());
        }

        // The schema's order: b, i, …, sz, szCs, …, u.
        if (size is { } s)
        {
            run.Append(new FontSize { Val = s.ToString(System.Globalization.CultureInfo.InvariantCulture) }, new FontSizeComplexScript { Val = s.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        if (underline)
        {
            run.Append(new Underline { Val = UnderlineValues.Single });
        }

        return new Paragraph(properties, new Run(run, new Text(DomainText.ForXml(text)) { Space = SpaceProcessingModeValues.Preserve }));
    }
}
