using System.Globalization;
using System.IO.Compression;
using System.Xml;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>What kind of file the bytes are, decided from the bytes, never from a file name.</summary>
public enum SpreadsheetFormat
{
    Empty,
    Xlsx,
    Xls,
    Ods,
    ZipButNotSpreadsheet,
    Unknown,
}

/// <summary>A cell's value as the file holds it (formulas: their cached value).</summary>
public readonly record struct CellValue(string Reference, double? Number, string? Text, bool IsError, bool IsFormulaWithoutValue)
{
    public bool IsBlank => Number is null && string.IsNullOrWhiteSpace(Text) && !IsError && !IsFormulaWithoutValue;
}

/// <summary>A rectangle of cells, 1-based and inclusive: a merged range (<c>A1:F1</c>).</summary>
public readonly record struct CellRange(int Top, int Left, int Bottom, int Right)
{
    public bool Contains(int row, int column) => row >= Top && row <= Bottom && column >= Left && column <= Right;

    /// <summary>"A1:F1" (or a single "B2") → the range; null for anything else.</summary>
    public static CellRange? Parse(string? reference)
    {
        var parts = (reference ?? string.Empty).Split(':');
        if (parts.Length is < 1 or > 2 || !SpreadsheetReader.TryParseReference(parts[0], out var top, out var left))
        {
            return null;
        }

        var (bottom, right) = (top, left);
        if (parts.Length == 2 && !SpreadsheetReader.TryParseReference(parts[1], out bottom, out right))
        {
            return null;
        }

        return new CellRange(Math.Min(top, bottom), Math.Min(left, right), Math.Max(top, bottom), Math.Max(left, right));
    }
}

/// <summary>The cells of one worksheet, by (row, column), both 1-based, within the reader's bounds; and its merged ranges.</summary>
public sealed class SheetCells(string name, Dictionary<(int Row, int Column), CellValue> cells, IReadOnlyList<CellRange>? merges = null)
{
    private RowIndex? _index;

    public string Name => name;

    /// <summary>The sheet's merged ranges, as its <c>mergeCells</c> lists them (at most <see cref="SpreadsheetReader.MaxMerges"/>).</summary>
    public IReadOnlyList<CellRange> Merges { get; } = merges ?? [];

    /// <summary>The merged range that holds (<paramref name="row"/>, <paramref name="column"/>), if any.</summary>
    public CellRange? MergeAt(int row, int column)
    {
        foreach (var range in Merges)
        {
            if (range.Contains(row, column))
            {
                return range;
            }
        }

        return null;
    }

    public IReadOnlyDictionary<(int Row, int Column), CellValue> Cells => cells;

    public CellValue? this[int row, int column] => cells.TryGetValue((row, column), out var value) ? value : null;

    public IEnumerable<int> Rows => Index().Rows;

    /// <summary>The non-blank cells of <paramref name="row"/>, left to right.</summary>
    public IReadOnlyList<(int Column, CellValue Value)> Row(int row)
    {
        var index = Index();
        var i = Array.BinarySearch(index.Rows, row);
        return i < 0 ? Array.Empty<(int Column, CellValue Value)>() : new ArraySegment<(int Column, CellValue Value)>(index.Cells, index.Starts[i], index.Starts[i + 1] - index.Starts[i]);
    }

    /// <summary>
    /// Flat arrays rather than a sorted dictionary of lists: the cells are copied once in file order
    /// (which is the dictionary's order) and sorted by row only when the file's rows are out of order.
    /// </summary>
    private RowIndex Index()
    {
        if (_index is not null)
        {
            return _index;
        }

        // Files list rows in order, and so does the dictionary (it keeps insertion order): one pass.
        var flat = new (int Column, CellValue Value)[cells.Count];
        var rows = new List<int>();
        var starts = new List<int>();
        var i = 0;
        foreach (var ((row, column), value) in cells)
        {
            if (rows.Count == 0 || row != rows[^1])
            {
                if (rows.Count > 0 && row < rows[^1])
                {
                    return _index = SortedIndex();
                }

                rows.Add(row);
                starts.Add(i);
            }

            flat[i++] = (column, value);
        }

        starts.Add(i);
        return _index = new RowIndex([.. rows], [.. starts], flat);
    }

    /// <summary>The index of a file whose rows are out of order: sorted by row, each row's cells kept in file order.</summary>
    private RowIndex SortedIndex()
    {
        var entries = new (int Row, int Order, int Column, CellValue Value)[cells.Count];
        var i = 0;
        foreach (var ((row, column), value) in cells)
        {
            entries[i] = (row, i, column, value);
            i++;
        }

        Array.Sort(entries, static (a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Order.CompareTo(b.Order));
        var flat = new (int Column, CellValue Value)[entries.Length];
        var rows = new List<int>();
        var starts = new List<int>();
        for (i = 0; i < entries.Length; i++)
        {
            if (i == 0 || entries[i].Row != entries[i - 1].Row)
            {
                rows.Add(entries[i].Row);
                starts.Add(i);
            }

            flat[i] = (entries[i].Column, entries[i].Value);
        }

        starts.Add(entries.Length);
        return new RowIndex([.. rows], [.. starts], flat);
    }

    /// <summary>The distinct rows ascending; where each row's cells start in <see cref="Cells"/> (one more entry than rows); the cells, row by row in file order.</summary>
    private sealed record RowIndex(int[] Rows, int[] Starts, (int Column, CellValue Value)[] Cells);
}

/// <summary>Why a file could not be read, in Vietnamese for the unit. Raised inside the reader only; <see cref="StatisticsParser"/> turns it into a rejection value.</summary>
public sealed class UnreadableSpreadsheetException : Exception
{
    public UnreadableSpreadsheetException()
        : base("Không đọc được tệp.")
    {
    }

    public UnreadableSpreadsheetException(string message)
        : base(message)
    {
    }

    public UnreadableSpreadsheetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Reads .xlsx files (Excel, LibreOffice, Google Sheets) with a streaming <see cref="XmlReader"/>
/// over the zip, within hard limits, because the files come from anyone with a link:
/// the zip's size and entry count; each entry's declared size checked before inflating and the
/// bytes actually inflated counted while reading (a zip bomb stops at the cap, whatever its header
/// says); rows and columns read per sheet; shared strings; no DTD, no external entities.
/// Every violation is an <see cref="UnreadableSpreadsheetException"/> with a message for people.
/// </summary>
public static class SpreadsheetReader
{
    public const long MaxFileBytes = 10 * 1024 * 1024;
    public const int MaxEntries = 2000;
    public const long MaxInflatedBytesPerEntry = 50 * 1024 * 1024;
    public const int MaxRows = 2000;
    public const int MaxColumns = 200;
    public const int MaxSharedStrings = 200_000;
    public const int MaxSheets = 50;
    public const int MaxMerges = 5000;

    /// <summary>A sheet's cells are first sized for this many, or for what its dimension says up to <see cref="MaxPresizedCells"/>.</summary>
    private const int DefaultCells = 64;

    private const int MaxPresizedCells = 4096;

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static SpreadsheetFormat Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return SpreadsheetFormat.Empty;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return SpreadsheetFormat.Xls;
        }

        if (!bytes.StartsWith("PK\u0003\u0004"u8))
        {
            return SpreadsheetFormat.Unknown;
        }

        // OpenDocument puts an uncompressed "mimetype" entry first; both kinds are zips.
        if (bytes.Length > 80 && bytes[30..Math.Min(bytes.Length, 100)].IndexOf("application/vnd.oasis.opendocument.spreadsheet"u8) >= 0)
        {
            return SpreadsheetFormat.Ods;
        }

        // An .xlsx names its workbook part in its local header and its central directory (entry names are never
        // compressed); a zip without that name is some other archive, refused at once.
        return bytes.IndexOf("xl/workbook.xml"u8) >= 0 ? SpreadsheetFormat.Xlsx : SpreadsheetFormat.ZipButNotSpreadsheet;
    }

    /// <summary>Reads every visible worksheet, in workbook order.</summary>
    public static IReadOnlyList<SheetCells> ReadXlsx(ReadOnlyMemory<byte> file)
    {
        if (file.Length > MaxFileBytes)
        {
            throw new UnreadableSpreadsheetException($"Tệp quá lớn (tối đa {MaxFileBytes / (1024 * 1024)} MB).");
        }

        try
        {
            // Read the caller's bytes in place: no copy of the file.
            using var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(file, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(file.ToArray(), writable: false);
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxEntries)
            {
                throw new UnreadableSpreadsheetException("Tệp có quá nhiều thành phần; đây không phải một bảng tính thông thường.");
            }

            if (zip.GetEntry("xl/workbook.xml") is null)
            {
                throw new UnreadableSpreadsheetException(zip.GetEntry("mimetype") is not null
                    ? "Tệp là bảng tính OpenDocument (.ods). Hãy mở bằng LibreOffice hoặc Excel và lưu lại dưới dạng Excel Workbook (.xlsx)."
                    : "Tệp nén này không phải bảng tính Excel (.xlsx).");
            }

            var atoms = new Atoms();
            var (workbook, declaredSheets) = Read(zip.GetEntry("xl/workbook.xml")!, atoms, xml => ReadSheets(xml, atoms));
            var targets = DefaultTargets(zip, workbook, declaredSheets) ?? ReadRelationships(zip, "xl/_rels/workbook.xml.rels", atoms);
            var shared = zip.GetEntry("xl/sharedStrings.xml") is { } sst ? Read(sst, atoms, xml => ReadSharedStrings(xml, atoms)) : [];
            var sheets = new List<SheetCells>();
            foreach (var (name, relationshipId) in workbook)
            {
                if (!targets.TryGetValue(relationshipId, out var target))
                {
                    continue;
                }

                var path = target.StartsWith('/') ? target[1..] : "xl/" + target;
                if (zip.GetEntry(path) is { } entry)
                {
                    sheets.Add(Read(entry, atoms, xml => ReadSheet(name, xml, shared, atoms)));
                }
            }

            return sheets;
        }
        catch (InvalidDataException ex)
        {
            throw new UnreadableSpreadsheetException("Tệp bị hỏng hoặc không phải bảng tính .xlsx hợp lệ (không giải nén được).", ex);
        }
        catch (XmlException ex)
        {
            throw new UnreadableSpreadsheetException("Nội dung bảng tính không hợp lệ (XML lỗi hoặc có khai báo DTD không được phép).", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new UnreadableSpreadsheetException("Tệp bị cắt cụt hoặc hỏng.", ex);
        }
    }

    /// <summary>
    /// One file's XML names, atomised in the name table all its readers share, so that element names
    /// compare by reference; and the settings (no DTD, no resolver) every part of the file is read with.
    /// </summary>
    private sealed class Atoms
    {
        public Atoms()
        {
            var names = new NameTable();
            Main = names.Add(SpreadsheetReader.Main);
            Relationships = names.Add(SpreadsheetReader.Relationships);
            Relationship = names.Add("Relationship");
            Sheet = names.Add("sheet");
            Si = names.Add("si");
            RPh = names.Add("rPh");
            Row = names.Add("row");
            Cell = names.Add("c");
            Value = names.Add("v");
            Formula = names.Add("f");
            InlineString = names.Add("is");
            MergeCell = names.Add("mergeCell");
            Dimension = names.Add("dimension");
            Settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = true,
                IgnoreWhitespace = true,
                CloseInput = true,
                MaxCharactersInDocument = MaxInflatedBytesPerEntry,
                NameTable = names,
            };
        }

        public XmlReaderSettings Settings { get; }

        public string Main { get; }

        public string Relationships { get; }

        public string Relationship { get; }

        public string Sheet { get; }

        public string Si { get; }

        public string RPh { get; }

        public string Row { get; }

        public string Cell { get; }

        public string Value { get; }

        public string Formula { get; }

        public string InlineString { get; }

        public string MergeCell { get; }

        public string Dimension { get; }
    }

    /// <summary>
    /// Reads one part with <paramref name="read"/>, streamed through <see cref="XmlReader"/> as it
    /// inflates: its declared size is checked first, and the bytes actually inflated are capped
    /// whatever the zip header says.
    /// </summary>
    private static T Read<T>(ZipArchiveEntry entry, Atoms atoms, Func<XmlReader, T> read)
    {
        CheckDeclaredSize(entry);
        using var xml = XmlReader.Create(
            new Common.LimitedStream(entry.Open(), MaxInflatedBytesPerEntry, () => new UnreadableSpreadsheetException("Tệp có thành phần quá lớn khi giải nén (có thể là tệp nén độc hại).")),
            atoms.Settings);
        return read(xml);
    }

    private static void CheckDeclaredSize(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxInflatedBytesPerEntry || entry.Length < 0)
        {
            throw new UnreadableSpreadsheetException("Tệp có thành phần quá lớn khi giải nén (có thể là tệp nén độc hại).");
        }
    }

    /// <summary>
    /// The workbook's relationships without reading them, when they can only say one thing: the workbook
    /// declares one sheet and the zip holds one sheet part (worksheet, chartsheet, dialog or macro sheet),
    /// the default <c>xl/worksheets/sheet1.xml</c>, and a relationships part (its declared size within the
    /// cap). That is the template as Excel, LibreOffice and Google Sheets save it; anything else (several
    /// sheets, renamed parts) reads the relationships. Null when they must be read.
    /// </summary>
    private static Dictionary<string, string>? DefaultTargets(ZipArchive zip, List<(string Name, string RelationshipId)> visible, int declaredSheets)
    {
        if (declaredSheets != 1 || zip.GetEntry("xl/_rels/workbook.xml.rels") is not { } relationships || zip.GetEntry("xl/worksheets/sheet1.xml") is null)
        {
            return null;
        }

        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName;
            if (name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)
                && (name.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) || name.StartsWith("xl/chartsheets/", StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith("xl/dialogsheets/", StringComparison.OrdinalIgnoreCase) || name.StartsWith("xl/macrosheets/", StringComparison.OrdinalIgnoreCase))
                && !name.Equals("xl/worksheets/sheet1.xml", StringComparison.Ordinal))
            {
                return null;
            }
        }

        CheckDeclaredSize(relationships);
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (visible.Count == 1)
        {
            targets[visible[0].RelationshipId] = "worksheets/sheet1.xml";
        }

        return targets;
    }

    private static Dictionary<string, string> ReadRelationships(ZipArchive zip, string path, Atoms atoms)
    {
        return zip.GetEntry(path) is { } entry ? Read(entry, atoms, xml => ReadRelationships(xml, atoms)) : new Dictionary<string, string>(StringComparer.Ordinal);
    }

    private static Dictionary<string, string> ReadRelationships(XmlReader xml, Atoms atoms)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && ReferenceEquals(xml.LocalName, atoms.Relationship) && xml.GetAttribute("Id") is { } id && xml.GetAttribute("Target") is { } target)
            {
                targets[id] = target;
            }
        }

        return targets;
    }

    /// <summary>The visible sheets, in order, and how many sheets are declared, hidden ones too.</summary>
    private static (List<(string Name, string RelationshipId)> Visible, int Declared) ReadSheets(XmlReader xml, Atoms atoms)
    {
        var sheets = new List<(string, string)>();
        var declared = 0;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && ReferenceEquals(xml.LocalName, atoms.Sheet) && ReferenceEquals(xml.NamespaceURI, atoms.Main))
            {
                declared++;
                var state = xml.GetAttribute("state");
                if (state is "hidden" or "veryHidden")
                {
                    continue;
                }

                if (xml.GetAttribute("id", atoms.Relationships) is { } id)
                {
                    sheets.Add((xml.GetAttribute("name") ?? string.Empty, id));
                }

                if (sheets.Count > MaxSheets)
                {
                    throw new UnreadableSpreadsheetException("Tệp có quá nhiều trang tính.");
                }
            }
        }

        return (sheets, declared);
    }

    private static List<string> ReadSharedStrings(XmlReader xml, Atoms atoms)
    {
        var strings = new List<string>();
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && ReferenceEquals(xml.LocalName, atoms.Si))
            {
                strings.Add(ReadText(xml, atoms));
                if (strings.Count > MaxSharedStrings)
                {
                    throw new UnreadableSpreadsheetException("Tệp có quá nhiều chuỗi văn bản; đây không phải mẫu báo cáo.");
                }
            }
        }

        return strings;
    }

    /// <summary>The text of an <c>si</c> or <c>is</c> element: every <c>t</c>, runs included, phonetic hints excluded.</summary>
    private static string ReadText(XmlReader xml, Atoms atoms)
    {
        if (xml.IsEmptyElement)
        {
            return string.Empty;
        }

        var depth = xml.Depth;
        // Most strings are one text node: keep it as it is, and join only when there are runs.
        string? first = null;
        System.Text.StringBuilder? text = null;
        var skipDepth = -1;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType == XmlNodeType.Element && ReferenceEquals(xml.LocalName, atoms.RPh))
            {
                skipDepth = xml.Depth;
            }
            else if (xml.NodeType == XmlNodeType.EndElement && xml.Depth == skipDepth)
            {
                skipDepth = -1;
            }
            else if (skipDepth < 0 && xml.NodeType is XmlNodeType.Text or XmlNodeType.SignificantWhitespace or XmlNodeType.CDATA)
            {
                if (first is null)
                {
                    first = xml.Value;
                }
                else
                {
                    (text ??= new System.Text.StringBuilder(first)).Append(xml.Value);
                }
            }
        }

        return text?.ToString() ?? first ?? string.Empty;
    }

    private static SheetCells ReadSheet(string name, XmlReader xml, List<string> shared, Atoms atoms)
    {
        // Sized by the sheet's own <dimension> when it comes first (Excel, LibreOffice and Google Sheets
        // write it), so the cells are not copied into larger tables as they come; a claim beyond the
        // cells a sheet may hold is capped, whatever it says.
        Dictionary<(int, int), CellValue>? cells = null;
        List<CellRange>? merges = null;
        var row = 0;
        var column = 0;
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || !ReferenceEquals(xml.NamespaceURI, atoms.Main))
            {
                continue;
            }

            var local = xml.LocalName;
            if (ReferenceEquals(local, atoms.Dimension))
            {
                cells ??= new Dictionary<(int, int), CellValue>(CellRange.Parse(xml.GetAttribute("ref")) is { } used
                    ? (int)Math.Min((long)(used.Bottom - used.Top + 1) * (used.Right - used.Left + 1), MaxPresizedCells)
                    : DefaultCells);
            }
            else if (ReferenceEquals(local, atoms.MergeCell))
            {
                if (CellRange.Parse(xml.GetAttribute("ref")) is { } range)
                {
                    (merges ??= []).Add(range);
                    if (merges.Count > MaxMerges)
                    {
                        throw new UnreadableSpreadsheetException($"Trang tính '{name}' có quá nhiều ô gộp (hơn {MaxMerges}).");
                    }
                }
            }
            else if (ReferenceEquals(local, atoms.Row))
            {
                row = int.TryParse(xml.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : row + 1;
                column = 0;
                if (row > MaxRows)
                {
                    throw new UnreadableSpreadsheetException($"Trang tính '{name}' có quá nhiều dòng (hơn {MaxRows}); mẫu báo cáo chỉ có vài chục dòng.");
                }
            }
            else if (ReferenceEquals(local, atoms.Cell))
            {
                var reference = xml.GetAttribute("r");
                var canonical = false;
                if (reference is not null && TryParseReference(reference, out var refRow, out var refColumn, out canonical) && refRow == row)
                {
                    column = refColumn;
                }
                else
                {
                    column++;
                    canonical = false;
                }

                if (column > MaxColumns)
                {
                    throw new UnreadableSpreadsheetException($"Trang tính '{name}' có quá nhiều cột (hơn {MaxColumns}).");
                }

                // An empty element is a blank (formatted) cell: nothing to keep, not even its name.
                if (xml.IsEmptyElement)
                {
                    continue;
                }

                var cell = ReadCell(xml, xml.GetAttribute("t"), shared, atoms);
                if (!cell.IsBlank)
                {
                    // The file's own "D7" is the cell's name when it is written the canonical way.
                    cells ??= new Dictionary<(int, int), CellValue>(DefaultCells);
                    cells[(row, column)] = cell with { Reference = canonical ? reference! : CellName(row, column) };
                }
            }
        }

        return new SheetCells(name, cells ?? [], merges);
    }

    /// <summary>
    /// What <see cref="XmlReader.ReadElementContentAsString()"/> reads, without its general machinery:
    /// the element's text (comments and processing instructions skipped, a child element an error),
    /// the reader left on the node after the element's end. Most values are one text node, kept as is.
    /// </summary>
    private static string ReadElementText(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return string.Empty;
        }

        string? text = null;
        System.Text.StringBuilder? joined = null;
        while (xml.Read())
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.EndElement:
                    xml.Read();
                    return joined?.ToString() ?? text ?? string.Empty;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (text is null)
                    {
                        text = xml.Value;
                    }
                    else
                    {
                        (joined ??= new System.Text.StringBuilder(text)).Append(xml.Value);
                    }

                    break;
                case XmlNodeType.Comment or XmlNodeType.ProcessingInstruction:
                    break;
                default:
                    throw new XmlException("A cell value holds an element; it may hold only text.");
            }
        }

        throw new XmlException("A cell value is not closed.");
    }

    /// <summary>A non-empty <c>c</c> element's value; its <see cref="CellValue.Reference"/> is left for the caller to name.</summary>
    private static CellValue ReadCell(XmlReader xml, string? type, List<string> shared, Atoms atoms)
    {
        string? value = null;
        string? inline = null;
        var formula = false;
        // ReadElementText leaves the reader on the next node already: only Read when it has not.
        var depth = xml.Depth;
        var moved = xml.Read();
        while (moved && xml.Depth > depth)
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                var local = xml.LocalName;
                if (ReferenceEquals(local, atoms.Value))
                {
                    value = ReadElementText(xml);
                    continue;
                }

                if (ReferenceEquals(local, atoms.Formula))
                {
                    formula = true;
                }
                else if (ReferenceEquals(local, atoms.InlineString))
                {
                    inline = ReadText(xml, atoms);
                }
            }

            moved = xml.Read();
        }

        const string reference = "";
        return type switch
        {
            "s" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < shared.Count
                ? new CellValue(reference, null, shared[index], false, false)
                : new CellValue(reference, null, null, true, false),
            "inlineStr" => new CellValue(reference, null, inline, false, false),
            "str" => new CellValue(reference, null, value, false, formula && value is null),
            "e" => new CellValue(reference, null, value, true, false),
            "b" => new CellValue(reference, null, value == "1" ? "TRUE" : "FALSE", false, false),
            _ when value is null => new CellValue(reference, null, inline, false, formula),
            _ => TryParseNumber(value, out var number)
                ? new CellValue(reference, number, null, false, false)
                : new CellValue(reference, null, value, false, false),
        };
    }

    /// <summary>
    /// A cell's number as <see cref="double.TryParse(string, NumberStyles, IFormatProvider, out double)"/>
    /// reads it (invariant, <see cref="NumberStyles.Float"/>); a count of up to 15 plain digits, which
    /// almost every figure is, is converted directly: it is exactly representable, so the result is the same.
    /// </summary>
    private static bool TryParseNumber(string value, out double number)
    {
        if (value.Length is > 0 and <= 15)
        {
            long whole = 0;
            var i = 0;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                whole = (whole * 10) + (value[i] - '0');
                i++;
            }

            if (i == value.Length)
            {
                number = whole;
                return true;
            }
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>"D7" → row 7, column 4.</summary>
    public static bool TryParseReference(string reference, out int row, out int column) => TryParseReference(reference, out row, out column, out _);

    /// <summary>"D7" → row 7, column 4; <paramref name="canonical"/> when <see cref="CellName"/> would write it the same ("d7", "D07" are read but are not).</summary>
    private static bool TryParseReference(string reference, out int row, out int column, out bool canonical)
    {
        row = 0;
        column = 0;
        canonical = true;
        var i = 0;
        while (i < reference.Length && char.IsAsciiLetter(reference[i]))
        {
            canonical &= char.IsAsciiLetterUpper(reference[i]);
            column = (column * 26) + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
            if (column > 16384)
            {
                return false;
            }

            i++;
        }

        canonical &= i < reference.Length && reference[i] != '0';
        return i > 0 && int.TryParse(reference.AsSpan(i), NumberStyles.None, CultureInfo.InvariantCulture, out row) && row > 0;
    }

    /// <summary>Row 7, column 4 → "D7".</summary>
    public static string CellName(int row, int column) => ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>Column 4 → "D", column 27 → "AA".</summary>
    public static string ColumnName(int column)
    {
        var letters = string.Empty;
        for (var c = column; c > 0; c = (c - 1) / 26)
        {
            letters = (char)('A' + ((c - 1) % 26)) + letters;
        }

        return letters;
    }
}
