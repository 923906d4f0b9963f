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
}
