using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Domain.Statistics;

/// <summary>The office's blank templates, as LibreOffice wrote them (Tests/Fixtures/templates), read into the table uploads are checked against.</summary>
public sealed class TemplateReaderTests
{
    private static byte[] Fixture(string name) => TemplateFixtures.File(name);

    private static ReportTemplate Template(string name) => TemplateFixtures.Template(name);

    [Fact]
    public void The_643_blank_file_reads_as_its_seven_rows_by_the_four_levels_with_643s_rules()
    {
        var t = ReportTemplate.Official643;

        Assert.Equal(TemplateId.Official643, t.Id);
        Assert.Equal((6, 1, 1, 2), (t.HeaderRow, t.HeaderRowCount, t.SttColumn, t.LabelColumn));
        Assert.Equal(StatisticsTemplate.ColumnLabels, t.Columns.Select(c => c.Name));
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], t.Rows.Select(r => r.Stt));
        Assert.Equal(Enumerable.Range(7, 7), t.Rows.Select(r => r.SheetRow));
        Assert.False(t.HasTotals);
        Assert.Empty(t.NotApplicable);
        Assert.Equal(TemplateRules.Official643, t.SuggestedRules);
    }

    [Fact]
    public void A_15_by_3_template_with_a_total_row_skips_the_row_of_column_numbers_and_marks_the_total()
    {
        var t = Template("mau-a-15x3-dong-tong");

        Assert.Equal(15, t.RowCount);
        Assert.Equal(["Đảng viên chính thức", "Đảng viên dự bị", "Kết nạp trong năm"], t.Columns.Select(c => c.Name));
        Assert.Equal(7, t.Rows[0].SheetRow); // row 6 holds "(1) (2) (3) (4) (5)"
        Assert.Equal("Đảng viên khác", t.Rows[13].Label);
        Assert.Equal(14, t.TotalRow);
        Assert.Null(t.TotalColumn);
        Assert.Equal(14 * 3, t.FigureCells(t.SuggestedRules));
        Assert.True(t.SuggestedRules.TotalsAreSums);
        Assert.Equal(TemplateId.OfContent(Fixture("mau-a-15x3-dong-tong")), t.Id);
    }

    [Fact]
    public void A_two_row_merged_header_gives_each_column_its_group_and_a_cell_marked_x_takes_no_figure()
    {
        var t = Template("mau-b-tieu-de-hai-dong");

        Assert.Equal(2, t.HeaderRowCount);
        Assert.Equal(["Năm 2025 – Nam", "Năm 2025 – Nữ", "Năm 2026 – Nam", "Năm 2026 – Nữ"], t.Columns.Select(c => c.Name));
        Assert.Equal(6, t.RowCount); // "Người lập biểu" below the table is not a row
        Assert.Equal([new GridCell(5, 3)], t.NotApplicable);
        Assert.False(t.HasTotals);
    }

    [Fact]
    public void A_list_with_a_total_column_is_read_with_its_own_label_header()
    {
        var t = Template("mau-c-danh-sach-cot-tong");

        Assert.Equal("Tên chi bộ", t.LabelHeader);
        Assert.Equal(8, t.RowCount);
        Assert.Equal(2, t.TotalColumn);
        Assert.Equal("Chi bộ Đội Kiểm tra", t.Rows[7].Label);
    }

    [Fact]
    public void A_total_column_first_is_a_sum_only_over_columns_that_divide_it_not_over_columns_that_are_among_it()
    {
        static ReportTemplate Read(string group, string first = "Tổng số") => TemplateReader.Read(new XlsxFixture().Sheet(
            "S",
            [(1, ["STT", "Nội dung", first, group]), (2, [null, null, null, "Nam", "Nữ"]), (3, [1, "Đảng bộ A"]), (4, [2, "Đảng bộ B"])],
            merges: ["A1:A2", "B1:B2", "C1:C2", "D1:E1"]).Build()).Value;

        var divided = Read("Chia ra");
        var among = Read("Trong đó");

        Assert.Equal(["Tổng số", "Chia ra – Nam", "Chia ra – Nữ"], divided.Columns.Select(c => c.Name));
        Assert.Equal(0, divided.TotalColumn);
        Assert.True(divided.SuggestedRules.TotalsAreSums);
        Assert.Null(among.TotalColumn); // "Tổng số, trong đó: nam, nữ" — the parts need not add up
        Assert.False(among.SuggestedRules.TotalsAreSums);
        Assert.Equal(0, Read("Trong đó", "Tổng cộng").TotalColumn); // "Tổng cộng" says it is a sum wherever it stands
        Assert.Null(Template("mau-d-30x10").TotalColumn); // "Tổng số, Nam, Nữ, Dân tộc thiểu số, Tôn giáo, …": overlapping groups, no sum
        Assert.Equal(300, Template("mau-d-30x10").FigureCells(Template("mau-d-30x10").SuggestedRules));
    }

    [Fact]
    public void A_total_row_is_a_sum_when_it_closes_the_table_not_when_it_opens_rows_that_are_among_it()
    {
        static ReportTemplate Read(params string[] labels) => TemplateReader.Read(new XlsxFixture().Sheet(
            "S",
            [(1, ["STT", "Nội dung", "Nam", "Nữ"]), .. labels.Select((l, i) => (i + 2, new object?[] { i + 1, l }))]).Build()).Value;

        Assert.Null(Read("Tổng số đảng viên", "Trong đó: đảng viên dự bị", "Đảng viên được miễn sinh hoạt").TotalRow);
        Assert.Null(Read("Tổng số", "Trong đó: đảng viên dự bị", "Đảng viên được miễn sinh hoạt").TotalRow);
        Assert.Equal(2, Read("Chi bộ A", "Chi bộ B", "Tổng số").TotalRow);
        Assert.Equal(0, Read("Tổng cộng", "Chi bộ A", "Chi bộ B").TotalRow);
    }

    [Fact]
    public void A_file_without_a_table_is_refused_saying_what_a_template_needs()
    {
        var noTable = new XlsxFixture().Sheet("S", [(1, ["Họ tên", "Số điện thoại"]), (2, ["Nguyễn Văn A", "0900"])]).Build();
        var headerOnly = new XlsxFixture().Sheet("S", [(1, ["STT", "Nội dung", "Số lượng"])]).Build();

        Assert.Equal(TemplateReader.NotFoundMessage, TemplateReader.Read(noTable).Error!.Fields[0].Message);
        Assert.Contains("không có dòng nội dung nào", TemplateReader.Read(headerOnly).Error!.Fields[0].Message, StringComparison.Ordinal);
        Assert.Contains("(.xls)", TemplateReader.Read(File.ReadAllBytes(Repository.Fixture("libreoffice", "libreoffice-excel97.xls"))).Error!.Fields[0].Message, StringComparison.Ordinal);
        Assert.Equal("no-table", TemplateReader.Read(noTable).Error!.Fields[0].Code);
    }

    [Fact]
    public void Rules_are_checked_against_their_template()
    {
        var t = Template("mau-b-tieu-de-hai-dong");

        Assert.False(TemplateRules.Check(new TemplateRules([new RowBound(1, 9)], false, BlankCells.Zero), t, "rules").IsSuccess);
        Assert.False(TemplateRules.Check(new TemplateRules([new RowBound(1, 1)], false, BlankCells.Zero), t, "rules").IsSuccess);
        Assert.False(TemplateRules.Check(new TemplateRules([], true, BlankCells.Zero), t, "rules").IsSuccess); // no total to check
        Assert.True(TemplateRules.Check(new TemplateRules([new RowBound(1, 0)], false, BlankCells.Required), t, "rules").IsSuccess);
    }
}
