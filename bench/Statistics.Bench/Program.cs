using System.IO.Compression;
using System.Text;
using System.Xml;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Running;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using ExcelDataReader;
using ServerlessWorkflow.Domain.Statistics;

Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
// The template's run is longer than a short run: on this shared 2-core machine three iterations
// let one disturbed iteration move the ratio by 0.3 or more; twenty, outliers removed, do not.
var config = ManualConfig.CreateMinimumViable()
    .AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median)
    .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
    .AddExporter(MarkdownExporter.GitHub)
    .WithArtifactsPath(Environment.GetEnvironmentVariable("BENCH_ARTIFACTS") ?? "BenchmarkDotNet.Artifacts");
if (args is ["--interleaved"])
{
    Console.Write(Interleaved.Report());
    return;
}

BenchmarkSwitcher.FromTypes([typeof(TemplateParse), typeof(LargeTemplateParse), typeof(LargeSheetParse)]).Run(args.Length > 0 ? args : ["--filter", "*"], config);

/// <summary>The shared filled sample: the template as units send it.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20, id: "template")]
public class TemplateParse
{
    private byte[] _file = [];

    [GlobalSetup]
    public void Setup()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        _file = File.ReadAllBytes(Files.Sample);
    }

    [Benchmark(Baseline = true, Description = "floor: unzip + XmlReader over the sheet")]
    public int Floor() => Readers.Floor(_file);

    [Benchmark(Description = "StatisticsParser.Parse (locate + validate)")]
    public bool Parser() => StatisticsParser.Parse(_file).Accepted;

    /// <summary>The reading part of Parse alone (workbook, shared strings, sheet), to show what locating and validating add.</summary>
    [Benchmark(Description = "SpreadsheetReader.ReadXlsx (read only)")]
    public int Reader() => SpreadsheetReader.ReadXlsx(_file).Count;

    [Benchmark(Description = "DocumentFormat.OpenXml SAX reader")]
    public int OpenXmlSax() => Readers.OpenXml(_file);

    [Benchmark(Description = "ExcelDataReader")]
    public int ExcelData() => Readers.ExcelData(_file);
}

/// <summary>
/// A 30 × 10 template of the office's own (Tests/Fixtures/templates/mau-d-30x10.xlsx, written by
/// LibreOffice) and a unit's filled copy: the template's table found by its labels, every figure checked.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 20, id: "template-30x10")]
public class LargeTemplateParse
{
    private byte[] _file = [];
    private ReportTemplate _template = null!;

    [GlobalSetup]
    public void Setup()
    {
        _file = File.ReadAllBytes(Files.Template("mau-d-dung"));
        _template = TemplateReader.Read(File.ReadAllBytes(Files.Template("mau-d-30x10"))).Value;
        if (!StatisticsParser.Parse(_file, _template, _template.SuggestedRules).Accepted || _template.RowCount * _template.ColumnCount != 300)
        {
            throw new InvalidOperationException("The 30 x 10 fixture does not read as 30 x 10 with its figures accepted.");
        }
    }

    [Benchmark(Baseline = true, Description = "floor: unzip + XmlReader over the sheet (30 × 10)")]
    public int Floor() => Readers.Floor(_file);

    [Benchmark(Description = "StatisticsParser.Parse against the office's template (locate + validate)")]
    public bool Parser() => StatisticsParser.Parse(_file, _template, _template.SuggestedRules).Accepted;

    [Benchmark(Description = "SpreadsheetReader.ReadXlsx (read only)")]
    public int Reader() => SpreadsheetReader.ReadXlsx(_file).Count;
}

/// <summary>
/// The parse against the floor measured side by side: BenchmarkDotNet runs one benchmark after the
/// other, and on this shared machine the load changes between them by more than the ratio's margin.
/// Here each round runs the floor, the reader and the parser in turn, a few hundred calls each, and
/// counts the CPU time of this thread (CLOCK_THREAD_CPUTIME_ID: what the code costs, not how long
/// other processes held the core) and the wall-clock time; the medians of the rounds are compared.
/// </summary>
internal static partial class Interleaved
{
    private const int Rounds = 40;
    private const int Calls = 200;

    public static string Report()
    {
        var sample = File.ReadAllBytes(Files.Sample);
        var filled = File.ReadAllBytes(Files.Template("mau-d-dung"));
        var template = TemplateReader.Read(File.ReadAllBytes(Files.Template("mau-d-30x10"))).Value;
        var cases = new (string Name, Func<object> Floor, Func<object> Read, Func<object> Parse)[]
        {
            ("643 template, shared sample (7 × 4)", () => Readers.Floor(sample), () => SpreadsheetReader.ReadXlsx(sample), () => StatisticsParser.Parse(sample)),
            ("office's template, 30 × 10 (mau-d)", () => Readers.Floor(filled), () => SpreadsheetReader.ReadXlsx(filled), () => StatisticsParser.Parse(filled, template, template.SuggestedRules)),
        };
        var functions = cases.SelectMany(c => new[] { c.Floor, c.Read, c.Parse }).ToArray();
        var cpu = functions.Select(_ => new List<double>()).ToArray();
        var wall = functions.Select(_ => new List<double>()).ToArray();
        for (var warm = 0; warm < 1000; warm++)
        {
            Array.ForEach(functions, f => f());
        }

        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < functions.Length; i++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var start = ThreadCpu();
                for (var k = 0; k < Calls; k++)
                {
                    functions[i]();
                }

                cpu[i].Add((ThreadCpu() - start).TotalMicroseconds / Calls);
                wall[i].Add(clock.Elapsed.TotalMicroseconds / Calls);
            }
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        var report = new StringBuilder();
        report.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"Interleaved, {Rounds} rounds × {Calls} calls of each, medians of the rounds; load average before: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown")}.");
        report.AppendLine();
        report.AppendLine("| file | floor: unzip + XmlReader, sheet only (CPU / wall) | SpreadsheetReader.ReadXlsx | StatisticsParser.Parse (locate + validate) | parse ÷ floor, CPU | parse ÷ floor, wall |");
        report.AppendLine("| --- | --- | --- | --- | --- | --- |");
        for (var c = 0; c < cases.Length; c++)
        {
            var (floor, read, parse) = (3 * c, (3 * c) + 1, (3 * c) + 2);
            report.AppendLine(System.Globalization.CultureInfo.InvariantCulture,
                $"| {cases[c].Name} | {Median(cpu[floor]):0.0} µs / {Median(wall[floor]):0.0} µs | {Median(cpu[read]):0.0} µs / {Median(wall[read]):0.0} µs | {Median(cpu[parse]):0.0} µs / {Median(wall[parse]):0.0} µs | **{Median(cpu[parse]) / Median(cpu[floor]):0.00}×** | {Median(wall[parse]) / Median(wall[floor]):0.00}× |");
        }

        return report.ToString();
    }

    /// <summary>The CPU time this thread has used (Linux).</summary>
    private static TimeSpan ThreadCpu() =>
        ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var time) == 0 ? TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100)) : throw new InvalidOperationException("clock_gettime failed");

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    private readonly record struct TimeSpec(long Seconds, long Nanoseconds);
}

/// <summary>A 100,000-row sheet: what happens when a unit sends a huge file.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class LargeSheetParse
{
    private byte[] _file = [];

    [GlobalSetup]
    public void Setup()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        _file = Files.Large(100_000);
    }

    [Benchmark(Baseline = true, Description = "floor: unzip + XmlReader over the sheet")]
    public int Floor() => Readers.Floor(_file);

    [Benchmark(Description = "StatisticsParser.Parse (rejects past the row cap)")]
    public bool Parser() => StatisticsParser.Parse(_file).Accepted;

    [Benchmark(Description = "DocumentFormat.OpenXml SAX reader")]
    public int OpenXmlSax() => Readers.OpenXml(_file);

    [Benchmark(Description = "ExcelDataReader")]
    public int ExcelData() => Readers.ExcelData(_file);
}

internal static class Files
{
    public static string Sample => Path.Combine(FindRoot(), "Tests", "Fixtures", "samples", "bao-cao-thong-ke-vi-du.xlsx");

    public static string Template(string name) => Path.Combine(FindRoot(), "Tests", "Fixtures", "templates", name + ".xlsx");

    /// <summary>An .xlsx with the template at the top and <paramref name="rows"/> rows of numbers below.</summary>
    public static byte[] Large(int rows)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Write(string name, string content)
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open());
                w.Write(content);
            }

            Write("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>");
            Write("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            Write("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            Write("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
            using var sheet = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open());
            sheet.Write("<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
            for (var r = 1; r <= rows; r++)
            {
                sheet.Write($"<row r=\"{r}\"><c r=\"A{r}\"><v>{r}</v></c><c r=\"B{r}\" t=\"inlineStr\"><is><t>dòng {r}</t></is></c><c r=\"C{r}\"><v>1</v></c><c r=\"D{r}\"><v>2</v></c><c r=\"E{r}\"><v>3</v></c><c r=\"F{r}\"><v>4</v></c></row>");
            }

            sheet.Write("</sheetData></worksheet>");
        }

        return stream.ToArray();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ServerlessWorkflow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository.");
    }
}

internal static class Readers
{
    /// <summary>The least any reader must do: inflate the sheet and visit every cell value.</summary>
    public static int Floor(byte[] file)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        using var xml = XmlReader.Create(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var values = 0;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName is "v" or "t")
            {
                values++;
            }
        }

        return values;
    }

    public static int OpenXml(byte[] file)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(file), false);
        var part = document.WorkbookPart!.WorksheetParts.First();
        using var reader = OpenXmlReader.Create(part);
        var values = 0;
        while (reader.Read())
        {
            if (reader.ElementType == typeof(Cell) && reader.IsStartElement)
            {
                values++;
            }
        }

        return values;
    }

    public static int ExcelData(byte[] file)
    {
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(new MemoryStream(file));
        var values = 0;
        while (reader.Read())
        {
            values += reader.FieldCount;
        }

        return values;
    }
}
