using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Domain;

/// <summary>Pasting a real dispatch suggests its tasks and deadlines for the office to confirm (the two seeds).</summary>
public sealed class DispatchScannerTests
{
    /// <summary>Registered on 13/02/2026 with the Labour Code's calendar.</summary>
    private static readonly SuggestionContext Context = new(WorkingCalendar.Default, new DateOnly(2026, 2, 13));

    private static string Seed(string prefix) => Repository.SharedSeed(prefix);

    [Fact]
    public void Pasting_the_Dong_Da_dispatch_suggests_its_two_dated_tasks()
    {
        var tasks = DispatchScanner.Suggest(Seed("000_"), Context);

        Assert.Equal(2, tasks.Count);
        Assert.StartsWith("Tập trung rà soát việc sử dụng tài khoản ngân hàng", tasks[0].Title, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 2, 25), tasks[0].Deadline.LastDay);
        Assert.Equal("Trước ngày 26/02/2026", tasks[0].Source);
        Assert.StartsWith("Bộ phận kế toán và thủ quỹ", tasks[1].Title, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 2, 27), tasks[1].Deadline.LastDay);
        Assert.All(tasks, t => Assert.Equal(TaskKind.Confirmation, t.Kind));
        Assert.All(tasks, t => Assert.True(t.Title.Length <= DispatchScanner.MaxTitleLength + 1));
    }

    [Fact]
    public void Pasting_dispatch_643_suggests_three_tasks_and_recognises_the_statistics_report()
    {
        var tasks = DispatchScanner.Suggest(Seed("004_"), Context);

        Assert.Equal(3, tasks.Count);
        Assert.StartsWith("Rà soát, bổ sung thông tin", tasks[0].Title, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 2, 5), tasks[0].Deadline.LastDay);
        Assert.StartsWith("Chỉ đạo đảng viên", tasks[1].Title, StringComparison.Ordinal);
        Assert.DoesNotContain("Thời gian hoàn thành", tasks[1].Title, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 2, 9), tasks[1].Deadline.LastDay);
        Assert.Equal("Gửi báo cáo kết quả thực hiện về Văn phòng Đảng ủy UBND tỉnh (theo mẫu gửi kèm)", tasks[2].Title);
        Assert.Equal(TaskKind.Statistics, tasks[2].Kind);
        Assert.Equal(VietnamTime.StartOf(new DateOnly(2026, 2, 10)), tasks[2].Deadline.PassesAt);
    }

    [Fact]
    public void A_dispatch_pasted_in_decomposed_Unicode_with_CRLF_gives_the_same_suggestions_in_NFC()
    {
        var original = DispatchScanner.Suggest(Seed("004_"), Context);
        var decomposed = DispatchScanner.Suggest(Seed("004_").Normalize(System.Text.NormalizationForm.FormD).Replace("\n", "\r\n", StringComparison.Ordinal), Context);

        Assert.Equal(original, decomposed);
        Assert.All(decomposed, t => Assert.True(t.Title.IsNormalized(System.Text.NormalizationForm.FormC)));
    }

    [Fact]
    public void Reference_dates_of_other_dispatches_are_not_deadlines()
    {
        Assert.Empty(DispatchScanner.Suggest("Căn cứ Công văn số 327-CV/TU ngày 02/02/2026 của Thành ủy Hà Nội;\n(Kèm theo Công văn số 643-CV/ĐU ngày 05/02/2026)", Context));
    }

    [Fact]
    public void A_cham_nhat_phrase_on_its_own_line_is_attached_to_the_numbered_item_above()
    {
        var task = Assert.Single(DispatchScanner.Suggest("2. Gửi danh sách quản trị viên\n- kèm số điện thoại\nChậm nhất ngày 06/02/2026.", Context));

        Assert.Equal("Gửi danh sách quản trị viên", task.Title);
        Assert.Equal(new DateOnly(2026, 2, 6), task.Deadline.LastDay);
    }

    [Fact]
    public void A_term_in_working_days_from_receipt_is_counted_from_the_day_the_office_registers_it()
    {
        var task = Assert.Single(DispatchScanner.Suggest(
            "2. Các chi bộ báo cáo kết quả rà soát về Văn phòng Đảng ủy trong vòng 05 ngày làm việc kể từ ngày nhận được Công văn này.", Context));

        Assert.Equal("Các chi bộ báo cáo kết quả rà soát về Văn phòng Đảng ủy", task.Title);
        Assert.Equal("trong vòng 05 ngày làm việc kể từ ngày nhận được Công văn này", task.Source);
        Assert.Equal("05 ngày làm việc kể từ ngày 13/02/2026", task.Term!.Display);
        Assert.Equal(new DateOnly(2026, 2, 27), task.Deadline.LastDay); // Tết 14/02–22/02 is not counted
    }

    [Fact]
    public void A_term_from_signing_is_counted_from_the_date_of_the_dispatch_and_a_dated_term_from_its_date()
    {
        var text = "ĐẢNG ỦY PHƯỜNG ĐỐNG ĐA\nĐống Đa, ngày 05 tháng 02 năm 2026\n"
            + "1. Rà soát tài khoản của các tổ chức đảng, hoàn thành trong 5 ngày làm việc kể từ ngày ký.\n"
            + "2. Gửi danh sách quản trị viên: 10 (mười) ngày làm việc, kể từ ngày 20/04/2026;\n"
            + "3. Các đảng viên cập nhật thông tin trên Cổng dịch vụ công chậm nhất năm ngày làm việc sau ngày 02/02/2027.";

        var tasks = DispatchScanner.Suggest(text, Context);

        Assert.Equal(3, tasks.Count);
        Assert.Equal(("Rà soát tài khoản của các tổ chức đảng", new DateOnly(2026, 2, 5), new DateOnly(2026, 2, 12)), (tasks[0].Title, tasks[0].Term!.From, tasks[0].Deadline.LastDay));
        Assert.Equal(("Gửi danh sách quản trị viên", 10, new DateOnly(2026, 5, 7)), (tasks[1].Title, tasks[1].Term!.Days, tasks[1].Deadline.LastDay)); // Giỗ Tổ, 30/04–01/05
        Assert.Equal((5, new DateOnly(2027, 2, 16)), (tasks[2].Term!.Days, tasks[2].Deadline.LastDay)); // Tết 2027: 04/02–10/02
        Assert.All(tasks, t => Assert.Equal(TaskKind.Confirmation, t.Kind));
    }

    [Fact]
    public void The_date_a_term_counts_from_is_not_also_suggested_as_a_deadline_and_the_office_date_wins_over_the_heading()
    {
        var tasks = DispatchScanner.Suggest(
            "Hà Nội, ngày 05 tháng 02 năm 2026\nBáo cáo số liệu theo mẫu gửi kèm trong thời hạn 03 ngày làm việc kể từ ngày ban hành công văn.",
            Context with { IssuedOn = new DateOnly(2026, 2, 9) });

        var task = Assert.Single(tasks);
        Assert.Equal(TaskKind.Statistics, task.Kind);
        Assert.Equal(new DateOnly(2026, 2, 9), task.Term!.From);
        Assert.Equal(new DateOnly(2026, 2, 12), task.Deadline.LastDay);
    }
}
