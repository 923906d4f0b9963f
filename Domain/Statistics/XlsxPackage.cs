using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>
/// An .xlsx opened for a few changes and written again with every other part as it was: the office's
/// template filled with the totals, a unit's rejected file with its wrong cells marked. Parts are read
/// within <see cref="SpreadsheetReader"/>'s limits (entry count, inflated bytes) and parsed without
/// DTDs or resolvers, because a unit's file comes from anyone with a link. Only the parts changed are
/// parsed; the rest are copied byte for byte (re-compressed).
/// </summary>
internal sealed class XlsxPackage
{
    public static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    public static readonly XNamespace OfficeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static readonly XNamespace ContentTypes = "http://schemas.openxmlformats.org/package/2006/content-types";
    private const long MaxTotalBytes = 100 * 1024 * 1024;

    private readonly List<string> _order = [];
    private readonly Dictionary<string, byte[]> _parts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, XDocument> _xml = new(StringComparer.Ordinal);

    private XlsxPackage()
    {
    }

    public static XlsxPackage Open(ReadOnlyMemory<byte> file)
    {
        if (file.Length > SpreadsheetReader.MaxFileBytes)
        {
            throw new UnreadableSpreadsheetException("Tệp quá lớn.");
        }

        var package = new XlsxPackage();
        try
        {
            using var zip = new ZipArchive(new MemoryStream(file.ToArray(), writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > SpreadsheetReader.MaxEntries)
            {
                throw new UnreadableSpreadsheetException("Tệp có quá nhiều thành phần.");
            }

            long total = 0;
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                if (entry.Length > SpreadsheetReader.MaxInflatedBytesPerEntry || entry.Length < 0)
                {
                    throw new UnreadableSpreadsheetException("Tệp có thành phần quá lớn khi giải nén.");
                }

                using var source = new Common.LimitedStream(entry.Open(), SpreadsheetReader.MaxInflatedBytesPerEntry, () => new UnreadableSpreadsheetException("Tệp có thành phần quá lớn khi giải nén."));
                using var copy = new MemoryStream();
                source.CopyTo(copy);
                total += copy.Length;
                if (total > MaxTotalBytes)
                {
                    throw new UnreadableSpreadsheetException("Tệp quá lớn khi giải nén.");
                }

                if (package._parts.TryAdd(entry.FullName, copy.ToArray()))
                {
                    package._order.Add(entry.FullName);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw new UnreadableSpreadsheetException("Tệp bị hỏng hoặc không phải bảng tính .xlsx hợp lệ.", ex);
        }

        if (!package.Has("xl/workbook.xml"))
        {
            throw new UnreadableSpreadsheetException("Tệp không phải bảng tính Excel (.xlsx).");
        }

        return package;
    }

    public bool Has(string part) => _parts.ContainsKey(part) || _xml.ContainsKey(part);

    /// <summary>A part parsed for changing (changes are written back by <see cref="Save"/>); null when it does not exist.</summary>
    public XDocument? Xml(string part)
    {
        if (_xml.TryGetValue(part, out var document))
        {
            return document;
        }

        if (!_parts.TryGetValue(part, out var bytes))
        {
            return null;
        }

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = SpreadsheetReader.MaxInflatedBytesPerEntry };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
            document = XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException ex)
        {
            throw new UnreadableSpreadsheetException("Nội dung bảng tính không hợp lệ (XML lỗi hoặc có khai báo DTD không được phép).", ex);
        }

        _xml[part] = document;
        return document;
    }

    /// <summary>Adds (or replaces) a part.</summary>
    public void Put(string part, XDocument document)
    {
        if (!_parts.ContainsKey(part) && !_xml.ContainsKey(part))
        {
            _order.Add(part);
        }

        _parts.Remove(part);
        _xml[part] = document;
    }

    public void PutText(string part, string text)
    {
        if (!_parts.ContainsKey(part) && !_xml.ContainsKey(part))
        {
            _order.Add(part);
        }

        _xml.Remove(part);
        _parts[part] = Encoding.UTF8.GetBytes(text);
    }

    public string? Text(string part) => _parts.TryGetValue(part, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>A part name not yet used: <c>xl/comments1.xml</c>, <c>xl/comments2.xml</c>, …</summary>
    public string NewPartName(string prefix, string extension)
    {
        for (var i = 1; ; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}{i}{extension}");
            if (!Has(name))
            {
                return name;
            }
        }
    }

    /// <summary>The worksheet part of the sheet named <paramref name="name"/> (or of the first sheet), by the workbook and its relationships.</summary>
    public string SheetPart(string? name)
    {
        var workbook = Xml("xl/workbook.xml")!;
        var sheets = workbook.Root!.Element(Main + "sheets")?.Elements(Main + "sheet").ToList() ?? [];
        var sheet = sheets.FirstOrDefault(s => (string?)s.Attribute("name") == name) ?? sheets.FirstOrDefault()
            ?? throw new UnreadableSpreadsheetException("Tệp không có trang tính nào.");
        var id = (string?)sheet.Attribute(OfficeRelationships + "id");
        var target = Relationships("xl/workbook.xml").FirstOrDefault(r => (string?)r.Attribute("Id") == id)?.Attribute("Target")?.Value
            ?? throw new UnreadableSpreadsheetException("Tệp thiếu liên kết tới trang tính.");
        return Resolve("xl/workbook.xml", target);
    }

    /// <summary>A relationship target as a part name, relative to the part that holds the relationship.</summary>
    public static string Resolve(string from, string target)
    {
        if (target.StartsWith('/'))
        {
            return target[1..];
        }

        var parts = from.Split('/').SkipLast(1).ToList();
        foreach (var segment in target.Split('/'))
        {
            if (segment == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (segment != ".")
            {
                parts.Add(segment);
            }
        }

        return string.Join('/', parts);
    }

    private static string RelationshipsPart(string part)
    {
        var slash = part.LastIndexOf('/');
        return $"{part[..(slash + 1)]}_rels/{part[(slash + 1)..]}.rels";
    }

    public IEnumerable<XElement> Relationships(string part) =>
        Xml(RelationshipsPart(part))?.Root?.Elements(PackageRelationships + "Relationship") ?? [];

    /// <summary>The part a relationship of <paramref name="part"/> of type <paramref name="typeSuffix"/> points at, if any.</summary>
    public string? Related(string part, string typeSuffix) =>
        Relationships(part).FirstOrDefault(r => ((string?)r.Attribute("Type"))?.EndsWith(typeSuffix, StringComparison.Ordinal) == true) is { } rel && (string?)rel.Attribute("Target") is { } target
            && (string?)rel.Attribute("TargetMode") != "External"
            ? Resolve(part, target)
            : null;

    /// <summary>Adds a relationship from <paramref name="part"/> to <paramref name="target"/> (relative), returning its id.</summary>
    public string AddRelationship(string part, string type, string target)
    {
        var relsPart = RelationshipsPart(part);
        var rels = Xml(relsPart);
        if (rels is null)
        {
            rels = new XDocument(new XDeclaration("1.0", "UTF-8", "yes"), new XElement(PackageRelationships + "Relationships"));
            Put(relsPart, rels);
        }

        var ids = rels.Root!.Elements(PackageRelationships + "Relationship").Select(r => (string?)r.Attribute("Id")).ToHashSet();
        var n = ids.Count + 1;
        while (ids.Contains($"rId{n}"))
        {
            n++;
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"rId{n}");
        rels.Root.Add(new XElement(PackageRelationships + "Relationship", new XAttribute("Id", id), new XAttribute("Type", type), new XAttribute("Target", target)));
        return id;
    }

    public void AddOverride(string part, string contentType)
    {
        var types = Xml("[Content_Types].xml")!.Root!;
        if (!types.Elements(ContentTypes + "Override").Any(o => (string?)o.Attribute("PartName") == "/" + part))
        {
            types.Add(new XElement(ContentTypes + "Override", new XAttribute("PartName", "/" + part), new XAttribute("ContentType", contentType)));
        }
    }

    public void AddDefault(string extension, string contentType)
    {
        var types = Xml("[Content_Types].xml")!.Root!;
        if (!types.Elements(ContentTypes + "Default").Any(o => string.Equals((string?)o.Attribute("Extension"), extension, StringComparison.OrdinalIgnoreCase)))
        {
            types.AddFirst(new XElement(ContentTypes + "Default", new XAttribute("Extension", extension), new XAttribute("ContentType", contentType)));
        }
    }

    /// <summary>The workbook's styles, made when the file has none (a few producers leave them out).</summary>
    public XElement Styles()
    {
        var part = Related("xl/workbook.xml", "/styles") ?? "xl/styles.xml";
        if (Xml(part) is { } styles)
        {
            return styles.Root!;
        }

        Put(part, new XDocument(new XDeclaration("1.0", "UTF-8", "yes"), new XElement(
            Main + "styleSheet",
            new XElement(Main + "fonts", new XAttribute("count", 1), new XElement(Main + "font", new XElement(Main + "sz", new XAttribute("val", 11)), new XElement(Main + "name", new XAttribute("val", "Calibri")))),
            new XElement(Main + "fills", new XAttribute("count", 2), new XElement(Main + "fill", new XElement(Main + "patternFill", new XAttribute("patternType", "none"))), new XElement(Main + "fill", new XElement(Main + "patternFill", new XAttribute("patternType", "gray125")))),
            new XElement(Main + "borders", new XAttribute("count", 1), new XElement(Main + "border")),
            new XElement(Main + "cellStyleXfs", new XAttribute("count", 1), new XElement(Main + "xf")),
            new XElement(Main + "cellXfs", new XAttribute("count", 1), new XElement(Main + "xf")))));
        AddRelationship("xl/workbook.xml", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles", part["xl/".Length..]);
        AddOverride(part, "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
        return Xml(part)!.Root!;
    }

    /// <summary>Appends <paramref name="item"/> to the styles' list <paramref name="list"/> (fills, fonts, borders, cellXfs), keeping its count; returns its index.</summary>
    public static int Append(XElement styles, string list, XElement item)
    {
        var element = styles.Element(Main + list);
        if (element is null)
        {
            element = new XElement(Main + list);
            var order = new[] { "numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs" };
            var before = styles.Elements().FirstOrDefault(e => Array.IndexOf(order, e.Name.LocalName) > Array.IndexOf(order, list) || Array.IndexOf(order, e.Name.LocalName) < 0);
            if (before is null)
            {
                styles.Add(element);
            }
            else
            {
                before.AddBeforeSelf(element);
            }
        }

        element.Add(item);
        var count = element.Elements(Main + item.Name.LocalName).Count();
        element.SetAttributeValue("count", count);
        return count - 1;
    }

    /// <summary>The <c>c</c> element of <paramref name="reference"/> in a worksheet, made (with its row) where the sheet has none.</summary>
    public static XElement Cell(XDocument sheet, string reference)
    {
        if (!SpreadsheetReader.TryParseReference(reference, out var row, out var column))
        {
            throw new ArgumentException($"'{reference}' is not a cell reference.", nameof(reference));
        }

        var data = sheet.Root!.Element(Main + "sheetData") ?? throw new UnreadableSpreadsheetException("Trang tính không có dữ liệu.");
        XElement? rowElement = null;
        var number = 0;
        foreach (var r in data.Elements(Main + "row"))
        {
            number = int.TryParse((string?)r.Attribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : number + 1;
            if (number == row)
            {
                rowElement = r;
                break;
            }

            if (number > row)
            {
                rowElement = new XElement(Main + "row", new XAttribute("r", row));
                r.AddBeforeSelf(rowElement);
                break;
            }
        }

        if (rowElement is null)
        {
            rowElement = new XElement(Main + "row", new XAttribute("r", row));
            data.Add(rowElement);
        }

        rowElement.SetAttributeValue("r", row);
        var columnNumber = 0;
        foreach (var c in rowElement.Elements(Main + "c").ToList())
        {
            columnNumber = (string?)c.Attribute("r") is { } cr && SpreadsheetReader.TryParseReference(cr, out _, out var cc) ? cc : columnNumber + 1;
            c.SetAttributeValue("r", SpreadsheetReader.CellName(row, columnNumber)); // name every cell, so one can be put between them
            if (columnNumber == column)
            {
                return c;
            }

            if (columnNumber > column)
            {
                var made = new XElement(Main + "c", new XAttribute("r", reference));
                c.AddBeforeSelf(made);
                return made;
            }
        }

        var cell = new XElement(Main + "c", new XAttribute("r", reference));
        rowElement.Add(cell);
        return cell;
    }

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in _order)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                if (_xml.TryGetValue(name, out var document))
                {
                    using var writer = XmlWriter.Create(entry, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
                    document.Save(writer);
                }
                else
                {
                    entry.Write(_parts[name]);
                }
            }
        }

        return stream.ToArray();
    }
}
