using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ServerlessWorkflow.Domain.Statistics;

namespace ServerlessWorkflow.Tests.Domain.Statistics;

/// <summary>
/// Units' uploads against the three templates that are not 643's, each good, wrong and hostile, all
/// written by LibreOffice (Tests/Fixtures/templates); and what becomes of them: every error in one
/// pass, the annotated copy, the export into the office's own file.
/// </summary>
public sealed class TemplateUploadTests
{
    private static readonly ReportTemplate A = TemplateFixtures.Template("mau-a-15x3-dong-tong");
    private static readonly ReportTemplate B = TemplateFixtures.Template("mau-b-tieu-de-hai-dong");
    private static readonly ReportTemplate C = TemplateFixtures.Template("mau-c-danh-sach-cot-tong");

    private static StatisticsOutcome Parse(string fixture, ReportTemplate template, TemplateRules? rules = null) =>
        StatisticsParser.Parse(TemplateFixtures.File(fixture), template, rules ?? template.SuggestedRules);

    private static string Messages(StatisticsOutcome outcome) => string.Join("; ", outcome.Errors.Select(e => e.Message));

    [Fact]
    public void A_good_upload_of_the_15_by_3_template_reads_text_numbers_formulas_and_a_blank_total_on_a_sheet_with_a_neighbour()
    {
        var outcome = Parse("mau-a-dung", A);

        Assert.True(outcome.Accepted, Messages(outcome));
        var values = outcome.Report!.Values;
        Assert.Equal(12, values[2, 2]);   // " 12 " typed as text
        Assert.Equal(1234, values[3, 1]); // "1.234" typed as text
        Assert.Equal(Enumerable.Range(0, 14).Sum(r => values[r, 2]), values[14, 2]); // left blank: computed
        Assert.Equal(Enumerable.Range(0, 14).Sum(r => values[r, 0]), values[14, 0]); // a SUM formula, by its value
        Assert.Equal("Đảng bộ Sở Tài chính", outcome.Report.UnitName);
    }

    [Fact]
    public void A_wrong_upload_gets_every_error_of_the_file_in_one_pass_in_sheet_order()
    {
        var outcome = Parse("mau-a-sai", A);

        Assert.False(outcome.Accepted);
        Assert.Equal(["C7", "D8", "D9", "E21"], outcome.Errors.Select(e => e.Cell));
        Assert.Equal("Ô C7: số âm (-3); phải là số nguyên không âm.", outcome.Errors[0].Message);
        Assert.Equal("Ô D8: số thập phân (2,5); phải là số nguyên không âm.", outcome.Errors[1].Message);
        Assert.Equal("Ô E21: tổng ghi 5 nhưng cộng các dòng được 0; hãy sửa cho khớp.", outcome.Errors[3].Message);
        Assert.Equal(("Mẫu", "B5"), (outcome.Sheet, outcome.Anchor));
    }

    [Fact]
    public void A_hostile_upload_of_the_15_by_3_template_is_refused_cell_by_cell_and_its_extra_rows_are_not_read()
    {
        var outcome = Parse("mau-a-doc-hai", A);

        Assert.Equal(["C11", "D12"], outcome.Errors.Select(e => e.Cell));
        Assert.Contains("số quá lớn", outcome.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("không phải là số", outcome.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_totals_rule_left_out_makes_the_total_row_a_row_of_figures_like_the_others()
    {
        var outcome = Parse("mau-a-sai", A, A.SuggestedRules with { TotalsAreSums = false });

        Assert.Equal(["C7", "D8", "D9"], outcome.Errors.Select(e => e.Cell));
    }

    [Fact]
    public void A_good_upload_of_the_two_row_header_template_reads_each_year_and_sex_and_ignores_the_cell_marked_x()
    {
        var outcome = Parse("mau-b-dung", B, new TemplateRules([new RowBound(1, 0)], false, BlankCells.Required));

        Assert.True(outcome.Accepted, Messages(outcome));
        Assert.Equal([5, 7, 6, 8], outcome.Report!.ToRows()[0]);
        Assert.Equal([2, 1, 3, 0], outcome.Report.ToRows()[5]);
    }

    [Fact]
    public void A_wrong_upload_of_the_two_row_header_template_names_the_bound_the_blank_and_the_negative_cell()
    {
        var outcome = Parse("mau-b-sai", B, new TemplateRules([new RowBound(1, 0)], false, BlankCells.Required));

        Assert.Equal(["C8", "D9", "E11"], outcome.Errors.Select(e => e.Cell));
        Assert.Equal("Ô C8: 9 lớn hơn đảng viên mới kết nạp ở ô C7 (5); số này không thể vượt quá đảng viên mới kết nạp.", outcome.Errors[0].Message);
        Assert.Contains("chưa điền số liệu", outcome.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hostile_upload_of_the_two_row_header_template_shortens_what_it_quotes_and_keeps_no_five_thousand_character_unit()
    {
        var outcome = Parse("mau-b-doc-hai", B);

        var error = Assert.Single(outcome.Errors);
        Assert.Equal("C7", error.Cell);
        Assert.True(error.Message.Length < 200, error.Message);
    }

    [Fact]
    public void A_good_upload_of_the_list_checks_its_total_column_and_a_wrong_one_names_the_sum_and_the_decimal_comma()
    {
        var good = Parse("mau-c-dung", C);
        var wrong = Parse("mau-c-sai", C);

        Assert.True(good.Accepted, Messages(good));
        Assert.Equal([10, 0, 10], good.Report!.ToRows()[0]);
        Assert.Equal(["E7", "C10"], wrong.Errors.Select(e => e.Cell));
        Assert.Equal("Ô E7: tổng ghi 99 nhưng cộng các cột được 12; hãy sửa cho khớp.", wrong.Errors[0].Message);
        Assert.Contains("số thập phân (12,5)", wrong.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hostile_upload_of_the_list_names_a_huge_count_and_an_error_value()
    {
        var outcome = Parse("mau-c-doc-hai", C);

        Assert.Equal(["C5", "D6"], outcome.Errors.Select(e => e.Cell));
        Assert.Contains("số quá lớn", outcome.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("giá trị lỗi", outcome.Errors[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mau-a-dung")]
    [InlineData("mau-b-dung")]
    [InlineData("mau-c-dung")]
    public void A_good_upload_with_an_external_entity_or_a_zip_bomb_added_is_refused_without_reading_it(string fixture)
    {
        var file = TemplateFixtures.File(fixture);
        var xxe = Rewrite(file, "xl/worksheets/sheet1.xml", xml => xml.Replace("<worksheet ", "<!DOCTYPE worksheet [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><worksheet ", StringComparison.Ordinal));
        var bomb = Rewrite(file, "xl/sharedStrings.xml", xml => xml + new string(' ', 60 * 1024 * 1024));

        Assert.Contains("DTD", StatisticsParser.Parse(xxe, A, A.SuggestedRules).Errors.Single().Message, StringComparison.Ordinal);
        Assert.Contains("quá lớn khi giải nén", StatisticsParser.Parse(bomb, A, A.SuggestedRules).Errors.Single().Message, StringComparison.Ordinal);
        Assert.True(bomb.Length < 1024 * 1024);
    }

    [Fact]
    public void A_long_label_header_is_found_in_decomposed_unicode_with_other_case_and_spacing()
    {
        const string header = "Tên tổ chức cơ sở đảng trực thuộc";
        var template = TemplateReader.Read(new XlsxFixture().Sheet("S", [(1, ["STT", header, "Nam", "Nữ"]), (2, [1, "Chi bộ A"]), (3, [2, "Chi bộ B"])]).Build()).Value;
        var written = "  " + header.ToUpperInvariant().Normalize(NormalizationForm.FormD).Replace(" ", "   ", StringComparison.Ordinal) + " ";
        var upload = new XlsxFixture().Sheet("S", [(1, ["STT", written, "Nam", "Nữ"]), (2, [1, "Chi bộ A", 3, 4]), (3, [2, "Chi bộ B", 5, 6])]).Build();

        var outcome = StatisticsParser.Parse(upload, template, template.SuggestedRules);

        Assert.Equal(header, template.LabelHeader);
        Assert.True(outcome.Accepted, Messages(outcome));
        Assert.Equal(6, outcome.Report!.Values[1, 1]);
    }

    [Theory]
    [InlineData("A1:ZZ2000000")]
    [InlineData("A1:XFD1048576")]
    [InlineData("không phải ô")]
    public void A_sheet_claiming_more_cells_than_it_holds_is_read_by_the_cells_it_holds(string dimension)
    {
        var file = Rewrite(TemplateFixtures.File("mau-a-dung"), "xl/worksheets/sheet1.xml", xml => Regex.Replace(xml, "<dimension ref=\"[^\"]*\"", $"<dimension ref=\"{dimension}\""));
        Assert.True(Parse("mau-a-dung", A).Accepted);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var outcome = StatisticsParser.Parse(file, A, A.SuggestedRules);

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2 * 1024 * 1024); // the table is sized for at most a few thousand cells
        Assert.True(outcome.Accepted, Messages(outcome));
        Assert.Equal(Parse("mau-a-dung", A).Report!.ToRows(), outcome.Report!.ToRows());
    }

    [Fact]
    public void An_upload_of_one_template_against_another_is_refused_naming_the_columns_expected()
    {
        var outcome = Parse("mau-a-dung", B);

        Assert.StartsWith("Không tìm thấy bảng theo mẫu: cần dòng tiêu đề có các cột \"STT\", \"Nội dung\", \"Năm 2025 – Nam\"", outcome.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Null(outcome.Sheet);
    }

    [Fact]
    public void The_annotated_copy_marks_each_wrong_cell_with_a_fill_and_a_comment_and_leaves_the_rest_of_the_file_as_it_was()
    {
        var file = TemplateFixtures.File("mau-a-sai");
        var outcome = Parse("mau-a-sai", A);

        var annotated = WorkbookAnnotator.Annotate(file, outcome.Sheet, outcome.Anchor, outcome.Errors);

        var comments = AnnotatedWorkbook.Comments(annotated);
        Assert.Equal(["C7", "D8", "D9", "E21"], comments.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Ô C7: số âm (-3); phải là số nguyên không âm.", comments["C7"]);
        Assert.All(comments.Keys, cell => Assert.Equal(WorkbookAnnotator.Highlight, AnnotatedWorkbook.FillOf(annotated, cell)));
        Assert.Null(AnnotatedWorkbook.FillOf(annotated, "C8"));
        Assert.Equal(Part(file, "xl/sharedStrings.xml"), Part(annotated, "xl/sharedStrings.xml"));
        Assert.Equal(Part(file, "docProps/app.xml"), Part(annotated, "docProps/app.xml"));
        Assert.Equal(Values(file), Values(annotated));
        Assert.Contains("<legacyDrawing", Part(annotated, "xl/worksheets/sheet1.xml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_that_name_no_cell_are_noted_on_the_tables_header()
    {
        var file = TemplateFixtures.File("mau-b-sai");
        CellError[] errors = [new(string.Empty, "Mẫu đã bị sửa: không tìm thấy dòng 3."), new("C8", "Ô C8: sai.")];

        var comments = AnnotatedWorkbook.Comments(WorkbookAnnotator.Annotate(file, "Biến động", "B5", errors));

        Assert.Equal("Mẫu đã bị sửa: không tìm thấy dòng 3.", comments["B5"]);
        Assert.Equal("Ô C8: sai.", comments["C8"]);
    }

    [Fact]
    public void The_export_is_the_offices_own_file_with_the_totals_in_its_cells_its_merges_and_widths_kept_and_hostile_names_as_text()
    {
        var file = TemplateFixtures.File("mau-b-tieu-de-hai-dong");
        var values = new int[6, 4];
        values[0, 0] = 11;
        values[5, 2] = 7;
        var totals = Totals.Empty.Replace(null, values);
        ExportUnit[] units = [new("=HYPERLINK(\"http://evil.invalid\",\"x\")", "Chi bộ trực thuộc", "Đã báo cáo", values), new("+Chi bộ B", "Chi bộ trực thuộc", "Chưa báo cáo", null)];

        var export = StatisticsWorkbook.Write(new StatisticsExport("12-CV/ĐU", new DateOnly(2026, 3, 2), "Đảng ủy", "Biến động đảng viên", totals, units) { Template = B, TemplateFile = file });

        var sheets = SpreadsheetReader.ReadXlsx(export);
        Assert.Equal(["Tổng hợp", StatisticsWorkbook.UnitsSheet, StatisticsWorkbook.MissingSheet], sheets.Select(s => s.Name));
        Assert.Equal(11, sheets[0][7, 3]!.Value.Number);
        Assert.Equal(7, sheets[0][12, 5]!.Value.Number);
        Assert.Equal(sheets[0].Merges, SpreadsheetReader.ReadXlsx(file)[0].Merges);
        Assert.True(XNode.DeepEquals(Columns(file), Columns(export)), "the columns' widths changed");
        Assert.Equal("BÁO CÁO THỐNG KÊ", sheets[0][1, 1]!.Value.Text);
        Assert.StartsWith("Đơn vị: Đảng ủy — tổng hợp 1 đơn vị", sheets[0][3, 1]!.Value.Text, StringComparison.Ordinal);
        Assert.Contains(sheets[1].Cells.Values, c => c.Text == "=HYPERLINK(\"http://evil.invalid\",\"x\")");
        Assert.Contains(sheets[2].Cells.Values, c => c.Text == "+Chi bộ B");
        Assert.DoesNotContain("<f>", string.Concat(Part(export, "xl/worksheets/sheet2.xml"), Part(export, "xl/worksheets/sheet3.xml")), StringComparison.Ordinal);
        Assert.True(StatisticsParser.Parse(export, B, B.SuggestedRules).Accepted); // it reads back as the template
    }

    [Fact]
    public void The_export_keeps_the_templates_own_total_formulas_with_the_totals_as_their_values()
    {
        var file = TemplateFixtures.File("mau-c-danh-sach-cot-tong");
        var values = new int[8, 3];
        values[0, 0] = 4;
        values[0, 1] = 1;
        values[0, 2] = 5;

        var export = StatisticsWorkbook.Write(new StatisticsExport("1-CV", new DateOnly(2026, 1, 1), "Đảng ủy", "Danh sách", Totals.Empty.Replace(null, values), []) { Template = C, TemplateFile = file });

        Assert.Contains("<c r=\"E5\"", Part(export, "xl/worksheets/sheet1.xml"), StringComparison.Ordinal);
        Assert.Matches("<c r=\"E5\"[^>]*><f[^>]*>C5\\+D5</f><v>5</v></c>", Part(export, "xl/worksheets/sheet1.xml"));
        Assert.Contains("fullCalcOnLoad=\"1\"", Part(export, "xl/workbook.xml"), StringComparison.Ordinal);
    }

    private static XElement Columns(byte[] file) =>
        XDocument.Parse(Part(file, "xl/worksheets/sheet1.xml")).Root!.Element(XName.Get("cols", "http://schemas.openxmlformats.org/spreadsheetml/2006/main"))!;

    private static string[] Values(byte[] file) =>
        SpreadsheetReader.ReadXlsx(file).SelectMany(s => s.Cells.OrderBy(c => c.Key).Select(c => $"{s.Name}!{c.Value.Reference}={c.Value.Number}{c.Value.Text}")).ToArray();

    private static string Part(byte[] file, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static byte[] Rewrite(byte[] file, string part, Func<string, string> change)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                var text = reader.ReadToEnd();
                using var writer = new StreamWriter(target.CreateEntry(entry.FullName, CompressionLevel.SmallestSize).Open(), new UTF8Encoding(false));
                writer.Write(entry.FullName == part ? change(text) : text);
            }
        }

        return output.ToArray();
    }
}
