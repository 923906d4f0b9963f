using System.Diagnostics;
using System.Net;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// The follow-up report for the standing committee and the board's workbook, read back from the
/// files the handler writes (Open XML SDK), and — where LibreOffice Writer is installed — opened by
/// LibreOffice and converted to PDF.
/// </summary>
public sealed class ReportTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 5, 8, 0, 0, TimeSpan.FromHours(7)));
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;
    private string _id = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(
            storage.ConnectionString,
            StorageFixture.NewPrefix(),
            new Dictionary<string, string?> { ["Report:ParentCommittee"] = "Đảng bộ tỉnh Thanh Hóa", ["Report:Place"] = "Thanh Hóa" },
            s => s.AddSingleton<TimeProvider>(_clock));
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
        // A unit whose name would be a formula if the workbook wrote it as one; its only task is not due yet.
        await _office.PutUnitAsync("chi-bo-xau", "=HYPERLINK(\"http://evil.example\",\"Bấm\")", 4, "dang-bo-a");
        _id = (await OfficeDesk.PlayAsync(_office, _clock, "chi-bo-xau")).GetProperty("id").GetString()!;
        // 24/02: Văn phòng's t1 is 5 working days overdue (11–13/02 and 23–24/02; Tết 14–22/02 is not counted), the threshold for criticism.
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 24, 9, 0, 0, TimeSpan.FromHours(7)));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_directive_report_docx_has_the_committee_heading_the_groups_the_proposals_and_the_recipients()
    {
        var docx = await DownloadAsync($"office/directives/{_id}/report.docx?so=15-BC%2FVP%C4%90U&nguoiky=Nguy%E1%BB%85n%20V%C4%83n%20A", Downloads.Word);

        using var document = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var body = document.MainDocumentPart!.Document.Body!;
        var paragraphs = body.Descendants<Paragraph>().Select(p => p.InnerText).Where(t => t.Length > 0).ToList();
        var heading = body.Elements<DocumentFormat.OpenXml.Wordprocessing.Table>().First().Descendants<Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Equal(["ĐẢNG BỘ TỈNH THANH HÓA", "ĐẢNG ỦY UBND TỈNH", "VĂN PHÒNG", "*", "Số 15-BC/VPĐU", "ĐẢNG CỘNG SẢN VIỆT NAM", "Thanh Hóa, ngày 24 tháng 02 năm 2026"], heading);
        Assert.Contains("BÁO CÁO", paragraphs);
        Assert.Contains("Kết quả thực hiện Công văn số 643-CV/ĐU ngày 05/02/2026 của Đảng ủy UBND tỉnh về triển khai dịch vụ công của Đảng", paragraphs);
        Assert.Contains("Theo đơn vị: 0 đơn vị hoàn thành đúng hạn tất cả nhiệm vụ; 1 đơn vị hoàn thành nhưng có nhiệm vụ chậm hạn; 1 đơn vị còn nhiệm vụ quá hạn chưa hoàn thành; 2 đơn vị chưa hoàn thành nhưng chưa có nhiệm vụ quá hạn.", paragraphs);
        Assert.Contains("2. Đơn vị hoàn thành nhưng chậm hạn (1 đơn vị)", paragraphs);
        Assert.Contains("- Chi bộ Phòng Tổng hợp: 1 nhiệm vụ chậm, tổng 2 ngày làm việc;", paragraphs);
        Assert.Contains("1. Phê bình 1 đơn vị có nhiệm vụ quá hạn từ 5 ngày làm việc trở lên mà chưa hoàn thành", paragraphs);
        Assert.Contains("- Chi bộ Văn phòng (quá hạn 5 ngày làm việc);", paragraphs);
        Assert.Contains("- Chi bộ Phòng Tổng hợp (1 nhiệm vụ chậm, tổng 2 ngày làm việc);", paragraphs);
        Assert.Contains("- Đảng bộ Sở Tài chính (1 nhiệm vụ chậm, tổng 1 ngày làm việc);", paragraphs);
        Assert.Contains("Nơi nhận:", paragraphs);
        Assert.Contains("- Thường trực Đảng ủy (để báo cáo),", paragraphs);
        Assert.Contains("CHÁNH VĂN PHÒNG", paragraphs);
        Assert.Contains("Nguyễn Văn A", paragraphs);
        var appendix = body.Elements<DocumentFormat.OpenXml.Wordprocessing.Table>().Last().Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal(["STT", "Đơn vị", "Nhiệm vụ", "Đúng hạn", "Chậm hạn", "Quá hạn chưa làm", "Chưa đến hạn", "Đề xuất"], appendix[0]);
        Assert.Equal(["Chi bộ Văn phòng", "2", "0", "0", "1", "1", "Phê bình"], appendix.Single(r => r[1] == "Chi bộ Văn phòng")[1..]);
        Assert.Equal(["Đảng bộ Sở Tài chính", "3", "1", "1", "0", "1", "Nhắc nhở"], appendix.Single(r => r[1] == "Đảng bộ Sở Tài chính")[1..]);
        Assert.Equal(5, appendix.Count);
        var section = body.Elements<SectionProperties>().Single();
        Assert.Equal(11906u, section.GetFirstChild<PageSize>()!.Width!.Value);
        Assert.Equal(1701u, section.GetFirstChild<PageMargin>()!.Left!.Value);
    }

    [Fact]
    public async Task The_report_page_prints_the_same_document_and_its_form_keeps_what_was_typed_when_the_date_is_wrong()
    {
        var page = await OfficeDesk.PageAsync(_office, $"office/directives/{_id}/report?so=15-BC%2FVP%C4%90U");
        using var wrong = await _office.SendAsync(HttpMethod.Get, $"office/directives/{_id}/report?ngay=31%2F02%2F2026&so=16-BC");
        var wrongHtml = WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync(Ct));
        using var wrongDocx = await _office.SendAsync(HttpMethod.Get, $"office/directives/{_id}/report.docx?ngay=31%2F02%2F2026");

        Assert.Contains("<p class=\"motto\">ĐẢNG CỘNG SẢN VIỆT NAM</p>", page, StringComparison.Ordinal);
        Assert.Contains("Số 15-BC/VPĐU", page, StringComparison.Ordinal);
        Assert.Contains("- Chi bộ Văn phòng (quá hạn 5 ngày làm việc);", page, StringComparison.Ordinal);
        Assert.Contains($"/office/directives/{_id}/report.docx?captren=", page, StringComparison.Ordinal);
        Assert.Contains("@media print", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/office/directives/{_id}\">← Công văn số 643-CV/ĐU</a>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("Ngày báo cáo: Ngày phải viết dạng ngày/tháng/năm", wrongHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"31/02/2026\"", wrongHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"16-BC\"", wrongHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("report.docx?", wrongHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongDocx.StatusCode);
    }

    [Fact]
    public async Task The_period_report_docx_covers_the_directives_due_in_the_months_and_each_unit_over_them()
    {
        var docx = await DownloadAsync("office/reports/report.docx?tu=202602&den=202602", Downloads.Word);

        using var document = WordprocessingDocument.Open(new MemoryStream(docx), false);
        var paragraphs = document.MainDocumentPart!.Document.Body!.Descendants<Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Contains("Kết quả thực hiện các công văn có nhiệm vụ đến hạn tháng 02/2026", paragraphs);
        Assert.Contains("Có 3 nhiệm vụ đến hạn tháng 02/2026 theo 1 công văn; Văn phòng đã theo dõi, đôn đốc 4 đơn vị thực hiện:", paragraphs);
        Assert.Contains("- Chi bộ Văn phòng (quá hạn 5 ngày làm việc);", paragraphs);
        Assert.Contains("ĐẢNG ỦY UBND TỈNH", paragraphs);
    }

    [Fact]
    public async Task The_board_workbook_has_a_row_per_unit_with_states_dates_and_days_and_names_stay_text()
    {
        var xlsx = await DownloadAsync($"office/directives/{_id}/board.xlsx?sx=tre", Downloads.Sheet);

        using var workbook = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var part = workbook.WorkbookPart!;
        var sheet = part.Workbook.Descendants<Sheet>().First();
        Assert.Equal("Theo dõi", sheet.Name?.Value);
        var rows = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet.Descendants<Row>().ToDictionary(r => (int)r.RowIndex!.Value, r => r.Elements<Cell>().ToDictionary(c => c.CellReference!.Value!, c => c));
        string Text(int row, string column) => rows[row][column + row].InnerText;
        Assert.Equal("Đơn vị", Text(5, "B"));
        Assert.Equal("NV1: tình trạng", Text(5, "E"));
        Assert.Equal("Chi bộ Văn phòng", Text(6, "B"));
        Assert.Equal("Quá hạn 5 ngày làm việc", Text(6, "E"));
        Assert.Equal("NV1: số ngày làm việc chậm", Text(5, "G"));
        Assert.Equal("5", rows[6]["G6"].CellValue!.Text);
        Assert.Equal("Chi bộ Phòng Tổng hợp", Text(7, "B"));
        Assert.Equal("Muộn 2 ngày làm việc", Text(7, "E"));
        var completed = rows[7]["F7"];
        Assert.Null(completed.DataType);
        Assert.Equal(new DateTime(2026, 2, 12).ToOADate().ToString(System.Globalization.CultureInfo.InvariantCulture), completed.CellValue!.Text);
        var hostile = rows.Values.SelectMany(r => r.Values).Single(c => c.InnerText.StartsWith("=HYPERLINK", StringComparison.Ordinal));
        Assert.Equal(CellValues.InlineString, hostile.DataType!.Value);
        Assert.Null(hostile.CellFormula);
        Assert.DoesNotContain(rows.Values.SelectMany(r => r.Values), c => c.CellFormula is not null);
    }

    [Fact]
    public async Task LibreOffice_opens_the_report_and_the_workbook_and_converts_them_to_PDF()
    {
        var soffice = new[] { "/usr/bin/soffice", "/usr/bin/libreoffice" }.FirstOrDefault(File.Exists);
        if (soffice is null)
        {
            Assert.Skip("LibreOffice is not installed (soffice not found): the .docx and .xlsx are not converted to PDF on this machine.");
        }

        if (!Directory.EnumerateFiles("/usr/lib/libreoffice/program", "libswlo.so").Any())
        {
            Assert.Skip("LibreOffice Writer is not installed (libreoffice-writer-nogui): the .docx cannot be converted here.");
        }

        var work = Directory.CreateTempSubdirectory("report-pdf-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(work, "bao-cao.docx"), await DownloadAsync($"office/directives/{_id}/report.docx", Downloads.Word), Ct);
            await File.WriteAllBytesAsync(Path.Combine(work, "theo-doi.xlsx"), await DownloadAsync($"office/directives/{_id}/board.xlsx", Downloads.Sheet), Ct);
            foreach (var file in new[] { "bao-cao.docx", "theo-doi.xlsx" })
            {
                var start = new ProcessStartInfo(soffice) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var arg in new[] { $"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "pdf", "--outdir", work, file })
                {
                    start.ArgumentList.Add(arg);
                }

                using var process = Process.Start(start)!;
                var output = await process.StandardOutput.ReadToEndAsync(Ct) + await process.StandardError.ReadToEndAsync(Ct);
                await process.WaitForExitAsync(Ct);
                var pdf = Path.Combine(work, Path.ChangeExtension(file, ".pdf"));
                Assert.True(File.Exists(pdf), $"LibreOffice did not convert {file}: {output}");
                Assert.Equal("%PDF"u8.ToArray(), (await File.ReadAllBytesAsync(pdf, Ct))[..4]);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<byte[]> DownloadAsync(string path, string contentType)
    {
        using var response = await _office.SendAsync(HttpMethod.Get, path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    private static class Downloads
    {
        public const string Word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        public const string Sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
}
