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

/// <summary>The cells of one worksheet, by (row, column), both 1-based, within the reader's bounds.</summary>
public sealed class SheetCells(string name, Dictionary<(int Row, int Column), CellValue> cells)
{
    private SortedDictionary<int, List<(int Column, CellValue Value)>>? _byRow;

    public string Name => name;

    public IReadOnlyDictionary<(int Row, int Column), CellValue> Cells => cells;

    public CellValue? this[int row, int column] => cells.TryGetValue((row, column), out var value) ? value : null;

    public IEnumerable<int> Rows => ByRow.Keys;

    /// <summary>The non-blank cells of <paramref name="row"/>, left to right.</summary>
    public IReadOnlyList<(int Column, CellValue Value)> Row(int row) => ByRow.TryGetValue(row, out var list) ? list : [];

    private SortedDictionary<int, List<(int Column, CellValue Value)>> ByRow => _byRow ??= Index();

    private SortedDictionary<int, List<(int, CellValue)>> Index()
    {
        var rows = new SortedDictionary<int, List<(int, CellValue)>>();
        foreach (var ((row, column), value) in cells)
        {
            if (!rows.TryGetValue(row, out var list))
            {
                rows[row] = list = [];
            }

            list.Add((column, value));
        }

        return rows;
    }
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

        return SpreadsheetFormat.Xlsx;
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

            var targets = ReadRelationships(zip, "xl/_rels/workbook.xml.rels");
            var shared = zip.GetEntry("xl/sharedStrings.xml") is { } sst ? ReadSharedStrings(sst) : [];
            var sheets = new List<SheetCells>();
            foreach (var (name, relationshipId) in ReadSheets(zip.GetEntry("xl/workbook.xml")!))
            {
                if (!targets.TryGetValue(relationshipId, out var target))
                {
                    continue;
                }

                var path = target.StartsWith('/') ? target[1..] : "xl/" + target;
                if (zip.GetEntry(path) is { } entry)
                {
                    sheets.Add(ReadSheet(name, entry, shared));
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

    private static XmlReader Xml(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxInflatedBytesPerEntry || entry.Length < 0)
        {
            throw new UnreadableSpreadsheetException("Tệp có thành phần quá lớn khi giải nén (có thể là tệp nén độc hại).");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreWhitespace = true,
            CloseInput = true,
            MaxCharactersInDocument = MaxInflatedBytesPerEntry,
        };
        // The inflated size is capped whatever the zip header says.
        return XmlReader.Create(
            new Common.LimitedStream(entry.Open(), MaxInflatedBytesPerEntry, () => new UnreadableSpreadsheetException("Tệp có thành phần quá lớn khi giải nén (có thể là tệp nén độc hại).")),
            settings);
    }

    private static Dictionary<string, string> ReadRelationships(ZipArchive zip, string path)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (zip.GetEntry(path) is not { } entry)
        {
            return targets;
        }

        using var xml = Xml(entry);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Relationship" && xml.GetAttribute("Id") is { } id && xml.GetAttribute("Target") is { } target)
            {
                targets[id] = target;
            }
        }

        return targets;
    }

    private static List<(string Name, string RelationshipId)> ReadSheets(ZipArchiveEntry workbook)
    {
        var sheets = new List<(string, string)>();
        using var xml = Xml(workbook);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "sheet" && xml.NamespaceURI == Main)
            {
                var state = xml.GetAttribute("state");
                if (state is "hidden" or "veryHidden")
                {
                    continue;
                }

                if (xml.GetAttribute("id", Relationships) is { } id)
                {
                    sheets.Add((xml.GetAttribute("name") ?? string.Empty, id));
                }

                if (sheets.Count > MaxSheets)
                {
                    throw new UnreadableSpreadsheetException("Tệp có quá nhiều trang tính.");
                }
            }
        }

        return sheets;
    }

    private static List<string> ReadSharedStrings(ZipArchiveEntry entry)
    {
        var strings = new List<string>();
        using var xml = Xml(entry);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si")
            {
                strings.Add(ReadText(xml));
                if (strings.Count > MaxSharedStrings)
                {
                    throw new UnreadableSpreadsheetException("Tệp có quá nhiều chuỗi văn bản; đây không phải mẫu báo cáo.");
                }
            }
        }

        return strings;
    }

    /// <summary>The text of an <c>si</c> or <c>is</c> element: every <c>t</c>, runs included, phonetic hints excluded.</summary>
    private static string ReadText(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            return string.Empty;
        }

        var depth = xml.Depth;
        var text = new System.Text.StringBuilder();
        var skipDepth = -1;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "rPh")
            {
                skipDepth = xml.Depth;
            }
            else if (xml.NodeType == XmlNodeType.EndElement && xml.Depth == skipDepth)
            {
                skipDepth = -1;
            }
            else if (skipDepth < 0 && xml.NodeType is XmlNodeType.Text or XmlNodeType.SignificantWhitespace or XmlNodeType.CDATA)
            {
                text.Append(xml.Value);
            }
        }

        return text.ToString();
    }

    private static SheetCells ReadSheet(string name, ZipArchiveEntry entry, List<string> shared)
    {
        var cells = new Dictionary<(int, int), CellValue>();
        using var xml = Xml(entry);
        var row = 0;
        var column = 0;
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.NamespaceURI != Main)
            {
                continue;
            }

            if (xml.LocalName == "row")
            {
                row = int.TryParse(xml.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : row + 1;
                column = 0;
                if (row > MaxRows)
                {
                    throw new UnreadableSpreadsheetException($"Trang tính '{name}' có quá nhiều dòng (hơn {MaxRows}); mẫu báo cáo chỉ có vài chục dòng.");
                }
            }
            else if (xml.LocalName == "c")
            {
                var reference = xml.GetAttribute("r");
                column = reference is not null && TryParseReference(reference, out var refRow, out var refColumn) && refRow == row ? refColumn : column + 1;
                if (column > MaxColumns)
                {
                    throw new UnreadableSpreadsheetException($"Trang tính '{name}' có quá nhiều cột (hơn {MaxColumns}).");
                }

                var cell = ReadCell(xml, xml.GetAttribute("t"), CellName(row, column), shared);
                if (!cell.IsBlank)
                {
                    cells[(row, column)] = cell;
                }
            }
        }

        return new SheetCells(name, cells);
    }

    private static CellValue ReadCell(XmlReader xml, string? type, string reference, List<string> shared)
    {
        if (xml.IsEmptyElement)
        {
            return new CellValue(reference, null, null, false, false);
        }

        string? value = null;
        string? inline = null;
        var formula = false;
        // ReadElementContentAsString leaves the reader on the next node already: only Read when it has not.
        var depth = xml.Depth;
        var moved = xml.Read();
        while (moved && xml.Depth > depth)
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "v")
            {
                value = xml.ReadElementContentAsString();
                continue;
            }

            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "f")
            {
                formula = true;
            }
            else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "is")
            {
                inline = ReadText(xml);
            }

            moved = xml.Read();
        }

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
            _ => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? new CellValue(reference, number, null, false, false)
                : new CellValue(reference, null, value, false, false),
        };
    }

    /// <summary>"D7" → row 7, column 4.</summary>
    public static bool TryParseReference(string reference, out int row, out int column)
    {
        row = 0;
        column = 0;
        var i = 0;
        while (i < reference.Length && char.IsAsciiLetter(reference[i]))
        {
            column = (column * 26) + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
            if (column > 16384)
            {
                return false;
            }

            i++;
        }

        return i > 0 && int.TryParse(reference.AsSpan(i), NumberStyles.None, CultureInfo.InvariantCulture, out row) && row > 0;
    }

    /// <summary>Row 7, column 4 → "D7".</summary>
    public static string CellName(int row, int column)
    {
        var letters = string.Empty;
        for (var c = column; c > 0; c = (c - 1) / 26)
        {
            letters = (char)('A' + ((c - 1) % 26)) + letters;
        }

        return letters + row.ToString(CultureInfo.InvariantCulture);
    }
}
