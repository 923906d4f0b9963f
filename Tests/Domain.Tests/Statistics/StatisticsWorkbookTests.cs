using ServerlessWorkflow.Domain.Statistics;

namespace ServerlessWorkflow.Tests.Domain.Statistics;

public sealed class StatisticsWorkbookTests
{
    [Fact]
    public void Characters_xml_cannot_carry_become_spaces_and_the_export_still_reads_back()
    {
        string[] names = ["Chi bộ A\uFFFF", "Chi bộ B\uFFFEx", "Chi bộ C\uD800x", "Chi bộ D\uDC00", "Chi bộ 😀 E"];
        var export = new StatisticsExport("643-CV/ĐU", new DateOnly(2026, 2, 5), "Đảng ủy UBND tỉnh", "Thống kê\uFFFF tài khoản", Totals.Empty, [.. names.Select(n => new ExportUnit(n, "Chi bộ trực thuộc", "Chưa báo cáo", null))]);

        var sheets = SpreadsheetReader.ReadXlsx(StatisticsWorkbook.Write(export));

        Assert.Equal(["Chi bộ A ", "Chi bộ B x", "Chi bộ C x", "Chi bộ D ", "Chi bộ 😀 E"], sheets[2].Cells.Values.Where(c => c.Reference.StartsWith('A')).Skip(1).Select(c => c.Text));
        Assert.Contains(sheets[0].Cells.Values, c => c.Text!.Contains("Thống kê  tài khoản", StringComparison.Ordinal));
    }
}
