using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>
/// A unit's rejected file given back with its mistakes marked: each wrong cell filled in light red,
/// with a comment (a note, in Excel's and LibreOffice's words) saying in Vietnamese what is wrong;
/// errors that name no cell (a row or column missing) are noted on the table's "Nội dung" header. The
/// rest of the file is as the unit sent it. Comments already on the sheet are kept, ours added to them.
/// </summary>
public static class WorkbookAnnotator
{
    public const string Author = "Kiểm tra số liệu";

    /// <summary>The fill of a wrong cell (ARGB): Excel's "bad" light red.</summary>
    public const string Highlight = "FFFFC7CE";

    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static byte[] Annotate(ReadOnlyMemory<byte> file, string? sheetName, string? anchor, IReadOnlyList<CellError> errors)
    {
        var package = XlsxPackage.Open(file);
        var sheetPart = package.SheetPart(sheetName);
        var sheet = package.Xml(sheetPart) ?? throw new UnreadableSpreadsheetException("Tệp thiếu trang tính.");
        var notes = errors
            .GroupBy(e => SpreadsheetReader.TryParseReference(e.Cell, out _, out _) ? e.Cell : anchor is not null && SpreadsheetReader.TryParseReference(anchor, out _, out _) ? anchor : "A1")
            .Select(g => (Cell: g.Key, Text: string.Join("\n", g.Select(e => e.Message))))
            .ToList();

        Mark(package, sheet, notes.Select(n => n.Cell));
        Comment(package, sheetPart, sheet, notes);
        return package.Save();
    }

    /// <summary>Each cell's own style, with the fill replaced: a new style per style used, the others untouched.</summary>
    private static void Mark(XlsxPackage package, XDocument sheet, IEnumerable<string> cells)
    {
        var styles = package.Styles();
        var main = XlsxPackage.Main;
        var fill = XlsxPackage.Append(styles, "fills", new XElement(
            main + "fill",
            new XElement(main + "patternFill", new XAttribute("patternType", "solid"), new XElement(main + "fgColor", new XAttribute("rgb", Highlight)), new XElement(main + "bgColor", new XAttribute("indexed", 64)))));
        var xfs = styles.Element(main + "cellXfs")?.Elements(main + "xf").ToList() ?? [];
        var made = new Dictionary<int, int>();
        foreach (var reference in cells)
        {
            var cell = XlsxPackage.Cell(sheet, reference);
            var style = int.TryParse((string?)cell.Attribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s < xfs.Count ? s : 0;
            if (!made.TryGetValue(style, out var marked))
            {
                var xf = style < xfs.Count ? new XElement(xfs[style]) : new XElement(main + "xf", new XAttribute("numFmtId", 0), new XAttribute("fontId", 0), new XAttribute("borderId", 0), new XAttribute("xfId", 0));
                xf.SetAttributeValue("fillId", fill);
                xf.SetAttributeValue("applyFill", 1);
                made[style] = marked = XlsxPackage.Append(styles, "cellXfs", xf);
            }

            cell.SetAttributeValue("s", marked);
        }
    }

    private static void Comment(XlsxPackage package, string sheetPart, XDocument sheet, List<(string Cell, string Text)> notes)
    {
        var main = XlsxPackage.Main;
        var commentsPart = package.Related(sheetPart, "/comments");
        XDocument comments;
        if (commentsPart is null || package.Xml(commentsPart) is not { } existing)
        {
            commentsPart = package.NewPartName("xl/comments", ".xml");
            comments = new XDocument(new XDeclaration("1.0", "UTF-8", "yes"), new XElement(main + "comments", new XElement(main + "authors"), new XElement(main + "commentList")));
            package.Put(commentsPart, comments);
            package.AddOverride(commentsPart, "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml");
            package.AddRelationship(sheetPart, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments", Relative(sheetPart, commentsPart));
        }
        else
        {
            comments = existing;
        }

        var root = comments.Root!;
        var authors = root.Element(main + "authors") ?? new XElement(main + "authors");
        if (authors.Parent is null)
        {
            root.AddFirst(authors);
        }

        var authorId = authors.Elements(main + "author").Count();
        authors.Add(new XElement(main + "author", Author));
        var list = root.Element(main + "commentList") ?? new XElement(main + "commentList");
        if (list.Parent is null)
        {
            authors.AddAfterSelf(list);
        }

        var newShapes = new List<(int Row, int Column)>();
        foreach (var (cell, text) in notes)
        {
            var run = new XElement(main + "r", new XElement(main + "t", new XAttribute(XNamespace.Xml + "space", "preserve"), Common.Text.ForXml(text)));
            if (list.Elements(main + "comment").FirstOrDefault(c => (string?)c.Attribute("ref") == cell) is { } already)
            {
                var body = already.Element(main + "text") ?? new XElement(main + "text");
                if (body.Parent is null)
                {
                    already.Add(body);
                }

                body.Add(new XElement(main + "r", new XElement(main + "t", new XAttribute(XNamespace.Xml + "space", "preserve"), "\n")), run);
                continue;
            }

            list.Add(new XElement(main + "comment", new XAttribute("ref", cell), new XAttribute("authorId", authorId), new XElement(main + "text", run)));
            if (SpreadsheetReader.TryParseReference(cell, out var row, out var column))
            {
                newShapes.Add((row, column));
            }
        }

        // Excel shows a note only with its shape in the sheet's legacy (VML) drawing.
        var vmlPart = package.Related(sheetPart, "/vmlDrawing");
        if (vmlPart is not null && package.Text(vmlPart) is { } vml && vml.LastIndexOf("</xml>", StringComparison.Ordinal) is var end and >= 0)
        {
            package.PutText(vmlPart, vml[..end] + Shapes(newShapes, 1024 * (VmlNumber(vmlPart) + 10)) + vml[end..]);
            return;
        }

        vmlPart = package.NewPartName("xl/drawings/vmlDrawing", ".vml");
        var number = VmlNumber(vmlPart);
        package.PutText(vmlPart, $"""
            <xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{number}"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>{Shapes(newShapes, 1024 * number)}</xml>
            """);
        package.AddDefault("vml", "application/vnd.openxmlformats-officedocument.vmlDrawing");
        var id = package.AddRelationship(sheetPart, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing", Relative(sheetPart, vmlPart));
        var legacy = new XElement(main + "legacyDrawing", new XAttribute(XNamespace.Xmlns + "r", Relationships.NamespaceName), new XAttribute(Relationships + "id", id));
        var worksheet = sheet.Root!;
        if (worksheet.Element(main + "legacyDrawing") is { } old)
        {
            old.ReplaceWith(legacy); // a legacy drawing the sheet named but the package lacks
            return;
        }

        // The worksheet's children come in the schema's order: legacyDrawing sits before these.
        string[] after = ["legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"];
        var next = worksheet.Elements().FirstOrDefault(e => e.Name.Namespace == main && after.Contains(e.Name.LocalName));
        if (next is null)
        {
            worksheet.Add(legacy);
        }
        else
        {
            next.AddBeforeSelf(legacy);
        }
    }

    private static int VmlNumber(string part) =>
        int.TryParse(new string(part.Where(char.IsAsciiDigit).ToArray()), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;

    private static string Shapes(List<(int Row, int Column)> cells, int firstId)
    {
        var shapes = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            var (row, column) = (cells[i].Row - 1, cells[i].Column - 1);
            shapes.Append(CultureInfo.InvariantCulture, $"""<v:shape id="_x0000_s{firstId + 1 + i}" type="#_x0000_t202" style="position:absolute;margin-left:60pt;margin-top:2pt;width:220pt;height:80pt;z-index:{i + 1};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{column + 1}, 15, {row}, 2, {column + 4}, 15, {row + 5}, 16</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>""");
        }

        return shapes.ToString();
    }

    /// <summary>A part's name as a relationship target from <paramref name="from"/> (both under xl/).</summary>
    private static string Relative(string from, string to)
    {
        var fromDir = from.Split('/').SkipLast(1).ToArray();
        var toParts = to.Split('/');
        var common = 0;
        while (common < fromDir.Length && common < toParts.Length - 1 && fromDir[common] == toParts[common])
        {
            common++;
        }

        return string.Join('/', Enumerable.Repeat("..", fromDir.Length - common).Concat(toParts.Skip(common)));
    }
}
