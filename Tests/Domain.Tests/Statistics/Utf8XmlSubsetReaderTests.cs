using System.IO.Compression;
using System.Text;
using System.Xml;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Domain.Statistics;

/// <summary>
/// The fast reader is held to XmlReader (with the settings SpreadsheetReader uses), node by node and
/// attribute by attribute: on every input it either reports exactly what XmlReader reports, or gives
/// the input back (OutsideSubsetException) for XmlReader to read. It never accepts what XmlReader
/// rejects, and real spreadsheet parts stay inside its subset, so the speed-up is really taken.
/// </summary>
public sealed class Utf8XmlSubsetReaderTests
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
    };

    public static TheoryData<string> SpreadsheetFiles() =>
    [
        Repository.SharedSample("bao-cao-thong-ke-vi-du.xlsx"),
        Repository.SharedSample("bao-cao-thong-ke-mau.xlsx"),
        .. Directory.GetFiles(Repository.Fixture("libreoffice"), "*.xlsx").Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(SpreadsheetFiles))]
    public void Every_part_of_real_spreadsheet_files_is_read_by_the_fast_reader_exactly_as_XmlReader_reads_it(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal) || e.FullName.EndsWith(".rels", StringComparison.Ordinal)))
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();

            var fast = Fast(bytes);

            Assert.True(fast.Nodes is not null, $"{Path.GetFileName(path)} {entry.FullName}: the fast reader gave the part back ({fast.Error})");
            Assert.Equal(Reference(bytes).Nodes, fast.Nodes);
        }
    }

    [Fact]
    public void Files_generated_in_every_style_the_parser_tests_use_are_read_alike()
    {
        byte[][] files =
        [
            new XlsxFixture().Sheet("Sheet1", XlsxFixture.Template(XlsxFixture.Figures())).Build(),
            new XlsxFixture { InlineStrings = true }.Sheet("Sheet1", XlsxFixture.Template(XlsxFixture.Figures())).Build(),
        ];
        foreach (var file in files)
        {
            using var zip = new ZipArchive(new MemoryStream(file));
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                AssertReadAlike(copy.ToArray(), mustBeInSubset: true);
            }
        }
    }

    [Theory]
    [InlineData("<a/>")]
    [InlineData("\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<a>x</a>\n")]
    [InlineData("<?xml version='1.0' encoding='utf-8'?><a b='1' c=\"2\" />")]
    [InlineData("<a xmlns=\"urn:m\" xmlns:r=\"urn:r\"><b r:id=\"rId1\" id=\"2\"/><r:c/></a>")]
    [InlineData("<a xmlns=\"urn:m\"><b xmlns=\"\"><c/></b><d/></a>")]
    [InlineData("<a xmlns:p=\"urn:p\"><p:b xmlns:p=\"urn:q\"><p:c/></p:b><p:d/></a>")]
    [InlineData("<sst><si><t xml:space=\"preserve\">  a  </t></si><si><t xml:space=\"preserve\">   </t></si><si><t>   </t></si></sst>")]
    [InlineData("<a xml:space=\"preserve\"> <b xml:space=\"default\"> </b> <c> </c></a>")]
    [InlineData("<a>x &lt; y &amp;&amp; z &gt; w &quot;q&quot; &apos;s&apos;</a>")]
    [InlineData("<a b=\"&lt;&amp;&gt;&quot;&apos;\"/>")]
    [InlineData("<a>line&#10;break &#x1F600; &#233;</a>")]
    [InlineData("<a b=\"x&#9;y\"/>")]
    [InlineData("<a>Đảng bộ Sở Tài chính — “quoted”</a>")]
    [InlineData("<a><b>1</b><b>2</b></a>")]
    [InlineData("<a>\r\n<b>1</b>\r\n</a>")]
    [InlineData("<a>x\r\ny</a>")]
    [InlineData("<a b=\"x\ty\"/>")]
    [InlineData("<a b=\"x\ny\"/>")]
    [InlineData("<a><!-- note --><b/></a>")]
    [InlineData("<a><![CDATA[<x>]]></a>")]
    [InlineData("<!DOCTYPE a [<!ENTITY e \"boom\">]><a>&e;</a>")]
    [InlineData("<a>&unknown;</a>")]
    [InlineData("<a>&#0;</a>")]
    [InlineData("<a>&#xFFFF;</a>")]
    [InlineData("<a>&#10;</a>")]
    [InlineData("<a>x ]]> y</a>")]
    [InlineData("<a><b></a></b>")]
    [InlineData("<a><b></a>")]
    [InlineData("<a>")]
    [InlineData("<a/><b/>")]
    [InlineData("<a/>text")]
    [InlineData("text<a/>")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" <?xml version=\"1.0\"?><a/>")]
    [InlineData("<?xml version=\"1.1\"?><a/>")]
    [InlineData("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>")]
    [InlineData("<?xml version=\"1.0\" standalone=\"maybe\"?><a/>")]
    [InlineData("<a/><?pi x?>")]
    [InlineData("<a b=\"1\" b=\"2\"/>")]
    [InlineData("<a xmlns:p=\"urn:x\" xmlns:q=\"urn:x\" p:b=\"1\" q:b=\"2\"/>")]
    [InlineData("<p:a/>")]
    [InlineData("<a p:b=\"1\"/>")]
    [InlineData("<a xmlns:p=\"\"/>")]
    [InlineData("<a xmlns:xml=\"urn:x\"/>")]
    [InlineData("<a b=\"1\"c=\"2\"/>")]
    [InlineData("<a b=1/>")]
    [InlineData("<a b=\"<\"/>")]
    [InlineData("<a b=\"1/>")]
    [InlineData("<a:b:c/>")]
    [InlineData("<1a/>")]
    [InlineData("<a></a >")]
    [InlineData("<a ></a>")]
    [InlineData("<a\n  b = \"1\"\n/>")]
    [InlineData("<a xml:space=\"sometimes\"/>")]
    [InlineData("<a xml:lang=\"vi\">x</a>")]
    [InlineData("<é/>")]
    [InlineData("<a>\u0001</a>")]
    [InlineData("<a>\uFFFF</a>")]
    public void Hand_written_documents_are_read_alike_or_given_back(string xml)
    {
        AssertReadAlike(Encoding.UTF8.GetBytes(xml), mustBeInSubset: false);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'<', (byte)'a', (byte)'>', 0xC3, (byte)'<', (byte)'/', (byte)'a', (byte)'>' })]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'<', 0, (byte)'a', 0, (byte)'/', 0, (byte)'>', 0 })]
    [InlineData(new byte[] { (byte)'<', (byte)'a', (byte)'>', 0xED, 0xA0, 0x80, (byte)'<', (byte)'/', (byte)'a', (byte)'>' })]
    public void Bytes_that_are_not_UTF_8_are_given_back(byte[] bytes)
    {
        Assert.Null(Fast(bytes).Nodes);
        AssertReadAlike(bytes, mustBeInSubset: false);
    }

    [Fact]
    public void Thousands_of_random_damages_to_a_real_sheet_are_each_read_alike_or_given_back()
    {
        var sheet = PartOf(Repository.SharedSample("bao-cao-thong-ke-vi-du.xlsx"), "xl/worksheets/sheet1.xml");
        var strings = PartOf(Repository.SharedSample("bao-cao-thong-ke-vi-du.xlsx"), "xl/sharedStrings.xml");
        byte[] alphabet = "<>/=\"'&;:#x1 \t\r\n]!?-aA"u8.ToArray();
        var random = new Random(20261123);
        var inSubset = 0;
        for (var i = 0; i < 4000; i++)
        {
            var bytes = (i % 2 == 0 ? sheet : strings).ToList();
            for (var damage = random.Next(1, 4); damage > 0; damage--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(3))
                {
                    case 0:
                        bytes.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 1:
                        bytes.RemoveAt(at);
                        break;
                    default:
                        bytes[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                }
            }

            inSubset += AssertReadAlike([.. bytes], mustBeInSubset: false) ? 1 : 0;
        }

        // Most single damages still leave well-formed XML that the fast reader handles (a changed value, a space).
        Assert.InRange(inSubset, 200, 4000);
    }

    [Fact]
    public void A_part_given_back_is_still_read_by_SpreadsheetReader_through_XmlReader()
    {
        // A comment in the sheet is outside the subset: the same figures come out through XmlReader.
        var plain = new XlsxFixture().Sheet("Sheet1", XlsxFixture.Template(XlsxFixture.Figures())).Build();
        var commented = Rewrite(plain, "xl/worksheets/sheet1.xml", xml => xml.Replace("<sheetData>", "<!-- viết tay --><sheetData>", StringComparison.Ordinal));

        var expected = StatisticsParser.Parse(plain);
        var actual = StatisticsParser.Parse(commented);

        Assert.True(expected.Accepted);
        Assert.True(actual.Accepted, string.Join("; ", actual.Errors.Select(e => e.Message)));
        Assert.Equal(expected.Report!.ToRows(), actual.Report!.ToRows());
    }

    /// <summary>Compares the two readers on <paramref name="bytes"/>; true when the fast reader read it (rather than giving it back).</summary>
    private static bool AssertReadAlike(byte[] bytes, bool mustBeInSubset)
    {
        var reference = Reference(bytes);
        var fast = Fast(bytes);
        var shown = Encoding.UTF8.GetString(bytes);
        if (fast.Nodes is null)
        {
            Assert.False(mustBeInSubset, $"given back ({fast.Error}): {shown}");
            return false;
        }

        Assert.True(reference.Nodes is not null, $"the fast reader accepted what XmlReader rejects ({reference.Error}): {shown}");
        Assert.Equal(reference.Nodes, fast.Nodes);
        return true;
    }

    private static (List<string>? Nodes, string? Error) Reference(byte[] bytes)
    {
        try
        {
            using var xml = XmlReader.Create(new MemoryStream(bytes), Settings);
            return (Describe(xml), null);
        }
        catch (XmlException ex)
        {
            return (null, ex.Message);
        }
    }

    private static (List<string>? Nodes, string? Error) Fast(byte[] bytes)
    {
        try
        {
            using var xml = new Utf8XmlSubsetReader(bytes, bytes.Length, new NameTable());
            return (Describe(xml), null);
        }
        catch (Utf8XmlSubsetReader.OutsideSubsetException ex)
        {
            return (null, ex.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Utf8XmlSubsetReader", StringComparison.Ordinal) && !l.Contains(".ctor", StringComparison.Ordinal)) ?? ex.Message);
        }
    }

    /// <summary>Every node XmlReader-style (the declaration skipped: SpreadsheetReader never looks at it), with its attributes and what GetAttribute finds.</summary>
    private static List<string> Describe(XmlReader xml)
    {
        var nodes = new List<string>();
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.XmlDeclaration)
            {
                continue;
            }

            nodes.Add($"{xml.NodeType} d{xml.Depth} {xml.Prefix}:{xml.LocalName} [{xml.NamespaceURI}] empty={xml.IsEmptyElement} value={xml.Value}");
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            nodes.Add($"  count={xml.AttributeCount} r={xml.GetAttribute("r")} t={xml.GetAttribute("t")} id={xml.GetAttribute("id", "urn:r")} ns={xml.LookupNamespace(string.Empty)}");
            if (xml.MoveToFirstAttribute())
            {
                do
                {
                    nodes.Add($"  @{xml.Prefix}:{xml.LocalName} [{xml.NamespaceURI}] d{xml.Depth} = {xml.Value}");
                }
                while (xml.MoveToNextAttribute());
                xml.MoveToElement();
            }
        }

        return nodes;
    }

    private static byte[] PartOf(string path, string part)
    {
        using var zip = ZipFile.OpenRead(path);
        using var stream = zip.GetEntry(part)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] Rewrite(byte[] file, string part, Func<string, string> change)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(file)))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                var text = reader.ReadToEnd();
                using var writer = new StreamWriter(target.CreateEntry(entry.FullName).Open());
                writer.Write(entry.FullName == part ? change(text) : text);
            }
        }

        return output.ToArray();
    }
}
