using System.IO.Compression;
using System.Text;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Domain.Statistics;

public sealed class StatisticsParserTests
{
    private static byte[] Sample(string name) => File.ReadAllBytes(Repository.SharedSample(name));

    private static StatisticsOutcome Parse(byte[] bytes) => StatisticsParser.Parse(bytes);

    private static byte[] Template(object?[,] values, bool inline = false, Func<string, string>? labels = null, string title = "Thống kê số tổ chức đảng") =>
        new XlsxFixture { InlineStrings = inline }.Sheet("Sheet1", XlsxFixture.Template(values, title, labels: labels)).Build();

    [Fact]
    public void The_filled_sample_is_accepted_with_its_figures_and_unit_name()
    {
        var outcome = Parse(Sample("bao-cao-thong-ke-vi-du.xlsx"));

        Assert.True(outcome.Accepted, string.Join("; ", outcome.Errors.Select(e => e.Message)));
        Assert.Equal("Đảng bộ Sở Tài chính", outcome.Report!.UnitName);
        Assert.Equal([1, 12, 3, 41], outcome.Report.ToRows()[0]);
    }

    [Fact]
    public void The_blank_sample_is_rejected_as_having_no_figures()
    {
        var outcome = Parse(Sample("bao-cao-thong-ke-mau.xlsx"));

        Assert.False(outcome.Accepted);
        Assert.Contains("chưa có số liệu", outcome.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_strings_and_inline_strings_read_the_same()
    {
        var shared = Parse(Template(XlsxFixture.Figures()));
        var inline = Parse(Template(XlsxFixture.Figures(), inline: true));

        Assert.True(shared.Accepted);
        Assert.Equal(shared.Report!.ToRows(), inline.Report!.ToRows());
    }

    [Fact]
    public void Decomposed_unicode_labels_upper_case_and_the_seeds_Thong_ke_typo_are_accepted()
    {
        var outcome = Parse(Template(XlsxFixture.Figures(), labels: s => s.Normalize(NormalizationForm.FormD).ToUpperInvariant(), title: "Thông kê số tổ chức đảng"));

        Assert.True(outcome.Accepted, string.Join("; ", outcome.Errors.Select(e => e.Message)));
    }

    [Fact]
    public void Numbers_typed_as_text_formulas_with_cached_values_and_blanks_are_read()
    {
        var values = XlsxFixture.Figures();
        values[0, 0] = "1.234";
        values[1, 0] = " 12 ";
        values[2, 0] = "=F:7";
        values[3, 0] = null;

        var report = Parse(Template(values)).Report!;

        Assert.Equal(1234, report[0, 0]);
        Assert.Equal(12, report[1, 0]);
        Assert.Equal(7, report[2, 0]);
        Assert.Equal(0, report[3, 0]);
    }

    [Fact]
    public void The_table_is_found_by_its_labels_wherever_it_sits_and_on_a_second_sheet()
    {
        var moved = new XlsxFixture()
            .Sheet("Ghi chú", [(1, ["Ghi chú của đơn vị"])])
            .Sheet("Báo cáo", XlsxFixture.Template(XlsxFixture.Figures()).Select(r => (r.Item1 + 5, r.Item2)), firstColumn: 3)
            .Build();

        var outcome = Parse(moved);

        Assert.True(outcome.Accepted, string.Join("; ", outcome.Errors.Select(e => e.Message)));
        Assert.Equal(10, outcome.Report![0, 0]);
    }

    [Fact]
    public void Bad_figures_are_each_named_by_cell_in_vietnamese()
    {
        var values = XlsxFixture.Figures();
        values[0, 1] = -2;
        values[1, 2] = 2.5;
        values[2, 3] = "mười";
        values[3, 0] = "=F";

        var errors = Parse(Template(values)).Errors.Select(e => e.Message).ToList();

        Assert.Contains("Ô D7: số âm (-2); phải là số nguyên không âm.", errors);
        Assert.Contains("Ô E8: số thập phân (2,5); phải là số nguyên không âm.", errors);
        Assert.Contains(errors, e => e.StartsWith("Ô F9: \"mười\" không phải là số", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ô C10: công thức chưa có giá trị", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, "E8")]
    [InlineData(3, "E10")]
    [InlineData(4, "E11")]
    [InlineData(5, "E12")]
    public void Bank_accounts_secretaries_deputies_and_fee_officers_may_not_exceed_the_organisations_of_their_column(int row, string cell)
    {
        var values = XlsxFixture.Figures(total: 10);
        values[row, 2] = 12;

        var error = Assert.Single(Parse(Template(values)).Errors);

        Assert.Equal(cell, error.Cell);
        Assert.Equal($"Ô {cell}: 12 lớn hơn tổng số tổ chức đảng ở ô E7 (10); số này không thể vượt quá tổng số tổ chức đảng.", error.Message);
    }

    [Fact]
    public void Administrator_accounts_of_the_committee_may_outnumber_its_organisations()
    {
        var values = XlsxFixture.Figures(total: 1);
        values[2, 0] = 2;

        Assert.True(Parse(Template(values)).Accepted);
    }

    [Fact]
    public void An_altered_template_says_which_label_is_missing()
    {
        var file = new XlsxFixture().Sheet("S", XlsxFixture.Template(XlsxFixture.Figures()).Where(r => r.Item1 != 9)).Build();
        var noHeader = new XlsxFixture().Sheet("S", [(1, ["Họ tên", "Số điện thoại"]), (2, ["Nguyễn Văn A", "0900"])]).Build();

        Assert.Contains("không tìm thấy dòng 3", Parse(file).Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("Không tìm thấy bảng theo mẫu", Parse(noHeader).Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_formats_are_named_with_how_to_save_as_xlsx()
    {
        var xls = new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0 };
        using var ods = new MemoryStream();
        using (var zip = new ZipArchive(ods, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var w = new StreamWriter(zip.CreateEntry("mimetype", CompressionLevel.NoCompression).Open());
            w.Write("application/vnd.oasis.opendocument.spreadsheet");
        }

        Assert.Contains("(.xls)", Parse(xls).Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("(.ods)", Parse(ods.ToArray()).Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("không phải bảng tính", Parse("%PDF-1.7 not a sheet"u8.ToArray()).Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("rỗng", Parse([]).Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_or_corrupt_zip_is_rejected_not_thrown()
    {
        var good = Template(XlsxFixture.Figures());

        Assert.False(Parse(good[..(good.Length / 2)]).Accepted);
        var corrupt = (byte[])good.Clone();
        for (var i = 40; i < corrupt.Length; i += 7)
        {
            corrupt[i] ^= 0x5A;
        }

        Assert.False(Parse(corrupt).Accepted);
    }

    [Fact]
    public void A_zip_bomb_is_stopped_at_the_inflation_cap()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, xml) in new[] { ("xl/workbook.xml", "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>"), ("[Content_Types].xml", "<Types/>") })
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open());
                w.Write(xml);
            }

            using var bomb = zip.CreateEntry("xl/sharedStrings.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 80; i++)
            {
                bomb.Write(zeros);
            }
        }

        Assert.True(stream.Length < 1024 * 1024, $"fixture is {stream.Length} bytes");
        var outcome = Parse(stream.ToArray());

        Assert.False(outcome.Accepted);
        Assert.Contains("quá lớn khi giải nén", outcome.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sheet_with_a_million_rows_is_rejected_after_the_row_cap_without_reading_them()
    {
        var rows = XlsxFixture.Template(XlsxFixture.Figures()).Concat(Enumerable.Range(20, 1_000_000).Select(r => (r, new object?[] { 0 })));

        var outcome = Parse(new XlsxFixture().Sheet("S", rows).Build());

        Assert.False(outcome.Accepted);
        Assert.Contains("quá nhiều dòng", outcome.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sheet_with_a_dtd_or_external_entity_is_rejected()
    {
        var xxe = new XlsxFixture().Sheet("S", XlsxFixture.Template(XlsxFixture.Figures()), doctype: "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>").Build();

        var outcome = Parse(xxe);

        Assert.False(outcome.Accepted);
        Assert.Contains("DTD", outcome.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hidden_sheet_is_not_read()
    {
        var file = new XlsxFixture().Sheet("Ẩn", XlsxFixture.Template(XlsxFixture.Figures()), hidden: true).Build();

        Assert.False(Parse(file).Accepted);
    }
}
