using System.IO.Compression;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Domain.Statistics;

/// <summary>
/// Files written by LibreOffice Calc itself, not by our fixture code: the shared sample opened and
/// saved again as .xlsx, as .ods and as .xls, and sheets with formulas and with rich text saved as .xlsx. They are
/// committed under Fixtures/ and re-made by scripts/regenerate-libreoffice-fixtures.sh.
/// </summary>
public sealed class LibreOfficeStatisticsParserTests
{
    private static byte[] Fixture(string name) => File.ReadAllBytes(Repository.Fixture("libreoffice", name));

    private static StatisticsReport SampleReport() =>
        StatisticsParser.Parse(File.ReadAllBytes(Repository.SharedSample("bao-cao-thong-ke-vi-du.xlsx"))).Report!;

    private static string Part(byte[] file, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    [Theory]
    [InlineData("libreoffice-resaved.xlsx", "docProps/app.xml")]
    [InlineData("libreoffice-formulas.xlsx", "docProps/app.xml")]
    [InlineData("libreoffice-rich-text.xlsx", "docProps/app.xml")]
    [InlineData("libreoffice.ods", "meta.xml")]
    public void The_fixtures_were_written_by_LibreOffice_not_by_our_own_code(string name, string part)
    {
        Assert.Contains("LibreOffice/", Part(Fixture(name), part), StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_resaved_by_LibreOffice_is_accepted_with_the_sample_figures()
    {
        var outcome = StatisticsParser.Parse(Fixture("libreoffice-resaved.xlsx"));

        Assert.True(outcome.Accepted, string.Join("; ", outcome.Errors.Select(e => e.Message)));
        Assert.Equal(SampleReport().ToRows(), outcome.Report!.ToRows());
        Assert.Equal("Đảng bộ Sở Tài chính", outcome.Report.UnitName);
    }

    [Theory]
    [InlineData("libreoffice.ods", "Tệp là bảng tính OpenDocument (.ods). Hãy mở bằng LibreOffice hoặc Excel và lưu lại dưới dạng Excel Workbook (.xlsx).")]
    [InlineData("libreoffice-excel97.xls", "Tệp là bảng tính Excel 97–2003 (.xls). Hãy mở bằng Excel hoặc LibreOffice và lưu lại dưới dạng Excel Workbook (.xlsx).")]
    public void The_template_saved_by_LibreOffice_as_ods_or_xls_is_rejected_naming_the_format_and_how_to_save_as_xlsx(string name, string message)
    {
        var outcome = StatisticsParser.Parse(Fixture(name));

        Assert.False(outcome.Accepted);
        var error = Assert.Single(outcome.Errors);
        Assert.Equal(message, error.Message);
        Assert.Equal(string.Empty, error.Cell);
    }

    [Fact]
    public void Formulas_saved_by_LibreOffice_count_by_the_values_it_cached()
    {
        // What makes this fixture worth having: the figures are formulas, with LibreOffice's cached results.
        var report = ReadsAsTheSample(
            "libreoffice-formulas.xlsx",
            "xl/worksheets/sheet1.xml",
            "<c r=\"E7\" s=\"0\" t=\"n\"><f aca=\"false\">1+2</f><v>3</v></c>",
            "<c r=\"F10\" s=\"0\" t=\"n\"><f aca=\"false\">F7-3</f><v>38</v></c>",
            "<c r=\"A4\" s=\"0\" t=\"str\"><f aca=\"false\">");

        Assert.Equal(3, report[0, 2]);
        Assert.Equal(38, report[3, 3]);
    }

    [Fact]
    public void Rich_text_a_two_line_label_and_figures_typed_as_text_as_LibreOffice_writes_them_read_as_the_sample()
    {
        // What LibreOffice made of the typing: runs for the bold name, a character reference for the line break, text for the figure.
        ReadsAsTheSample(
            "libreoffice-rich-text.xlsx",
            "xl/sharedStrings.xml",
            "<si><r><rPr><sz val=\"10\"/><rFont val=\"Arial\"/><family val=\"2\"/></rPr><t xml:space=\"preserve\">Đơn vị: </t></r><r><rPr><b val=\"true\"/>",
            "<t xml:space=\"preserve\">Số lượng tài khoản ngân hàng đã khai báo&#10;cho các tổ chức đảng</t>",
            "<t xml:space=\"preserve\">  12 </t>",
            "<t xml:space=\"preserve\">3.</t>");
    }

    /// <summary>Checks that <paramref name="part"/> of the fixture holds what makes it worth having, then that it parses to the shared sample's figures and unit.</summary>
    private static StatisticsReport ReadsAsTheSample(string fixture, string part, params string[] written)
    {
        var file = Fixture(fixture);
        var xml = Part(file, part);
        foreach (var fragment in written)
        {
            Assert.Contains(fragment, xml, StringComparison.Ordinal);
        }

        var outcome = StatisticsParser.Parse(file);

        Assert.True(outcome.Accepted, string.Join("; ", outcome.Errors.Select(e => e.Message)));
        Assert.Equal(SampleReport().ToRows(), outcome.Report!.ToRows());
        Assert.Equal("Đảng bộ Sở Tài chính", outcome.Report.UnitName);
        return outcome.Report;
    }
}
