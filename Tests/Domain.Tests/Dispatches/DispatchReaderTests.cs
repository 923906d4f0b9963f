using System.Text;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Domain.Dispatches;

/// <summary>
/// Pasting a dispatch suggests what a clerk reads in it: number, date, issuer, subject, addressees,
/// and every task — with or without a deadline — with its whole text and the units it is given to.
/// One case per dispatch of Tests/Fixtures/dispatches (the two seeds and dispatches written for the
/// tests), against the reading written down by hand in its <c>*.expected.json</c>.
/// </summary>
public sealed class DispatchReaderTests
{
    /// <summary>Registered on 13/02/2026 with the Labour Code's calendar.</summary>
    private static readonly SuggestionContext Context = new(WorkingCalendar.Default, new DateOnly(2026, 2, 13));

    private static readonly string Fixtures = Repository.Fixture();

    public static TheoryData<string> Dispatches() => [.. ExpectedDispatch.All(Fixtures).Select(e => e.Name)];

    private static DispatchReading Read(string prefix) => DispatchReader.Read(Repository.SharedSeed(prefix), Context);

    [Theory]
    [MemberData(nameof(Dispatches))]
    public void Each_dispatch_reads_as_the_clerk_wrote_it_down(string name)
    {
        var expected = ExpectedDispatch.All(Fixtures).Single(e => e.Name == name).Read;
        var actual = ExpectedDispatch.Of(name, expected.Dispatch, expected.ReceivedOn, DispatchReader.Read(expected.Text(Fixtures), expected.Context));

        Assert.Equal((expected.Number, expected.IssuedOn, expected.Issuer, expected.Subject), (actual.Number, actual.IssuedOn, actual.Issuer, actual.Subject));
        Assert.Equal(expected.Addressees, actual.Addressees);
        Assert.Equal(expected.Tasks.Select(t => t.Title), actual.Tasks.Select(t => t.Title));
        for (var i = 0; i < expected.Tasks.Count; i++)
        {
            var (e, a) = (expected.Tasks[i], actual.Tasks[i]);
            Assert.Equal((i, e.Kind, e.LastDay, e.Term), (i, a.Kind, a.LastDay, a.Term));
            Assert.Equal(e.Recipients, a.Recipients);
        }
    }

    [Fact]
    public void The_Dong_Da_dispatch_gives_every_item_as_a_task_two_of_them_with_their_deadlines()
    {
        var tasks = Read("000_").Tasks;

        Assert.Equal(20, tasks.Count);
        Assert.Equal(18, tasks.Count(t => t.Deadline is null && t.Source is null && t.Term is null));
        var dated = tasks.Where(t => t.Deadline is not null).ToList();
        Assert.Equal(("Tập trung rà soát việc sử dụng tài khoản ngân hàng phục vụ công tác thu, nộp đảng phí", new DateOnly(2026, 2, 25), "Trước ngày 26/02/2026"), (dated[0].Title, dated[0].Deadline!.Value.LastDay, dated[0].Source));
        Assert.StartsWith("Bộ phận kế toán và thủ quỹ là đầu mối", dated[1].Title, StringComparison.Ordinal);
        Assert.EndsWith("phục vụ việc mở tài khoản ngân hàng theo quy định", dated[1].Title, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 2, 27), dated[1].Deadline!.Value.LastDay);
        Assert.Equal(["Văn phòng Đảng ủy"], dated[1].Recipients);
    }

    [Fact]
    public void Headings_name_the_units_of_the_items_under_them_and_are_never_tasks()
    {
        var tasks = Read("000_").Tasks;

        Assert.DoesNotContain(tasks, t => t.Title.StartsWith("Đối với", StringComparison.Ordinal) || t.Title.StartsWith("Giao", StringComparison.Ordinal)
            || t.Title.StartsWith("Tổ chức thực hiện", StringComparison.Ordinal) || t.Title.StartsWith("Đoàn Thanh niên", StringComparison.Ordinal));
        Assert.Equal(
            ["Các Đảng bộ, chi bộ trực thuộc", "Ủy ban MTTQ và các tổ chức chính trị - xã hội", "Đoàn Thanh niên phường", "Văn phòng Đảng ủy", "Ban Xây dựng Đảng", "Ủy ban Kiểm tra Đảng ủy", "Đảng bộ khối doanh nghiệp"],
            tasks.SelectMany(t => t.Recipients).Distinct());
        Assert.Equal(3, tasks.Count(t => t.Recipients.SequenceEqual(["Các Đảng bộ, chi bộ trực thuộc"])));
        Assert.Equal(2, tasks.Count(t => t.Recipients.SequenceEqual(["Đoàn Thanh niên phường"])));
        Assert.DoesNotContain(tasks, t => t.Title.StartsWith("Bí thư các tổ chức cơ sở đảng", StringComparison.Ordinal)); // section 7, "Tổ chức thực hiện"
    }

    [Fact]
    public void Titles_are_whole_without_markdown_or_a_cut_and_a_line_cut_by_a_page_break_is_joined()
    {
        var tasks = Read("000_").Tasks;

        Assert.All(tasks, t => Assert.DoesNotContain(t.Title, c => c is '*' or '#' or '…' or '<' or '>'));
        Assert.Contains(tasks, t => t.Title.Length > 300);
        Assert.Contains(tasks, t => t.Title.EndsWith("bảo đảm đầy đủ, chính xác, đồng bộ và thống nhất giữa các hệ thống", StringComparison.Ordinal));
        Assert.Contains(tasks, t => t.Title.Contains("(trừ thủ tục hành chính về thu, nộp đảng phí)", StringComparison.Ordinal));
        Assert.Contains(tasks, t => t.Title.Contains("Website “https://dichvucong.dcs.vn”", StringComparison.Ordinal));
    }

    [Fact]
    public void A_number_or_a_day_the_dispatch_leaves_blank_is_not_guessed()
    {
        var blank = Read("000_");
        var filled = Read("004_");

        Assert.Null(blank.Number); // "Số - CV/ĐU"
        Assert.Null(blank.IssuedOn); // "Đông Đa, ngày tháng 02 năm 2026"
        Assert.Equal(("643-CV/ĐU", new DateOnly(2026, 2, 5)), (filled.Number, filled.IssuedOn)); // "Số 643 -CV/ĐU", "Thanh Hoá, ngày 05 tháng 02 năm 2026"
        Assert.Equal("Triển khai rà soát, cập nhật dữ liệu và thực hiện 4 thủ tục hành chính của đảng trên môi trường điện tử", blank.Subject);
    }

    [Fact]
    public void The_issuer_comes_from_the_heading_spelled_as_the_text_writes_it_or_from_the_signature_with_its_tone_marks()
    {
        // 004: "ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH" under "ĐẢNG BỘ TỈNH THANH HÓA", written "Đảng ủy UBND tỉnh" in the text.
        Assert.Equal("Đảng ủy Ủy ban nhân dân tỉnh", Read("004_").Issuer);

        // 000 lost its heading: "T/M ĐẢNG ỦY" and "Đảng ủy phường Đông Đa" (twice, a tone mark dropped) / "Đống Đa" (once).
        Assert.Equal("Đảng ủy phường Đống Đa", Read("000_").Issuer);

        var hyphenated = DispatchReader.Read("ĐẢNG BỘ TỈNH LÂM ĐỒNG\nĐẢNG ỦY PHƯỜNG XUÂN HƯƠNG - ĐÀ LẠT\n\nKính gửi: Các chi bộ trực thuộc.\n\nĐảng ủy phường Xuân Hương - Đà Lạt đề nghị:", Context);
        Assert.Equal("Đảng ủy phường Xuân Hương - Đà Lạt", hyphenated.Issuer);
        Assert.Equal("Đảng ủy xã Tân Phú", DispatchReader.Read("ĐẢNG BỘ TỈNH ĐỒNG NAI\nĐẢNG ỦY XÃ TÂN PHÚ\n\nKính gửi: Các chi bộ trực thuộc.", Context).Issuer);
    }

    [Fact]
    public void A_dispatch_pasted_in_decomposed_Unicode_with_CRLF_reads_the_same_in_NFC()
    {
        var original = Read("000_");
        var decomposed = DispatchReader.Read(Repository.SharedSeed("000_").Normalize(NormalizationForm.FormD).Replace("\n", "\r\n", StringComparison.Ordinal), Context);

        Assert.Equal((original.Number, original.IssuedOn, original.Issuer, original.Subject), (decomposed.Number, decomposed.IssuedOn, decomposed.Issuer, decomposed.Subject));
        Assert.Equal(original.Addressees, decomposed.Addressees);
        Assert.Equal(original.Tasks.Select(t => (t.Title, t.Deadline, string.Join('|', t.Recipients))), decomposed.Tasks.Select(t => (t.Title, t.Deadline, string.Join('|', t.Recipients))));
        Assert.All(decomposed.Tasks, t => Assert.True(t.Title.IsNormalized(NormalizationForm.FormC)));
    }

    [Fact]
    public void Reference_dates_of_other_dispatches_are_not_deadlines()
    {
        var reading = DispatchReader.Read("Căn cứ Công văn số 327-CV/TU ngày 02/02/2026 của Thành ủy Hà Nội;\n(Kèm theo Công văn số 643-CV/ĐU ngày 05/02/2026)", Context);

        Assert.Empty(reading.Tasks);
        Assert.Null(reading.Number);
    }

    [Fact]
    public void A_line_holding_only_a_deadline_gives_it_to_the_item_above()
    {
        var task = Assert.Single(DispatchReader.Read("2. Gửi danh sách quản trị viên\n- kèm số điện thoại\nChậm nhất ngày 06/02/2026.", Context).Tasks);

        Assert.Equal("Gửi danh sách quản trị viên", task.Title);
        Assert.Equal(new DateOnly(2026, 2, 6), task.Deadline!.Value.LastDay);
    }

    [Fact]
    public void A_deadline_at_an_hour_passes_at_that_hour_and_a_bare_date_at_the_end_of_its_day()
    {
        var tasks = DispatchReader.Read(
            "1. Lập danh sách đảng viên chưa có tài khoản, gửi Văn phòng Đảng ủy trước 17 giờ 00 ngày 15/7/2026;\n2. Báo cáo Ban Thường vụ Đảng ủy trước ngày 29 tháng 5 năm 2026.\n3. Khai báo thông tin; thời hạn cuối cùng: ngày 30/9/2026.", Context).Tasks;

        Assert.Equal(3, tasks.Count);
        Assert.Equal(("Lập danh sách đảng viên chưa có tài khoản, gửi Văn phòng Đảng ủy", new DateTimeOffset(2026, 7, 15, 17, 0, 0, VietnamTime.Offset)), (tasks[0].Title, tasks[0].Deadline!.Value.PassesAt));
        Assert.Equal(("Báo cáo Ban Thường vụ Đảng ủy", new DateOnly(2026, 5, 28)), (tasks[1].Title, tasks[1].Deadline!.Value.LastDay));
        Assert.Equal(("Khai báo thông tin", new DateOnly(2026, 9, 30)), (tasks[2].Title, tasks[2].Deadline!.Value.LastDay));
    }

    [Fact]
    public void A_term_in_working_days_from_receipt_is_counted_from_the_day_the_office_registers_it()
    {
        var task = Assert.Single(DispatchReader.Read(
            "2. Các chi bộ báo cáo kết quả rà soát về Văn phòng Đảng ủy trong vòng 05 ngày làm việc kể từ ngày nhận được Công văn này.", Context).Tasks);

        Assert.Equal("Các chi bộ báo cáo kết quả rà soát về Văn phòng Đảng ủy", task.Title);
        Assert.Equal("trong vòng 05 ngày làm việc kể từ ngày nhận được Công văn này", task.Source);
        Assert.Equal("05 ngày làm việc kể từ ngày 13/02/2026", task.Term!.Display);
        Assert.Equal(new DateOnly(2026, 2, 27), task.Deadline!.Value.LastDay); // Tết 14/02–22/02 is not counted
    }

    [Fact]
    public void A_term_from_signing_is_counted_from_the_date_of_the_dispatch_and_a_dated_term_from_its_date()
    {
        var text = "ĐẢNG ỦY PHƯỜNG ĐỐNG ĐA\nĐống Đa, ngày 05 tháng 02 năm 2026\n"
            + "1. Rà soát tài khoản của các tổ chức đảng, hoàn thành trong 5 ngày làm việc kể từ ngày ký.\n"
            + "2. Gửi danh sách quản trị viên: 10 (mười) ngày làm việc, kể từ ngày 20/04/2026;\n"
            + "3. Các đảng viên cập nhật thông tin trên Cổng dịch vụ công chậm nhất năm ngày làm việc sau ngày 02/02/2027.";

        var tasks = DispatchReader.Read(text, Context).Tasks;

        Assert.Equal(3, tasks.Count);
        Assert.Equal(("Rà soát tài khoản của các tổ chức đảng", new DateOnly(2026, 2, 5), new DateOnly(2026, 2, 12)), (tasks[0].Title, tasks[0].Term!.From, tasks[0].Deadline!.Value.LastDay));
        Assert.Equal(("Gửi danh sách quản trị viên", 10, new DateOnly(2026, 5, 7)), (tasks[1].Title, tasks[1].Term!.Days, tasks[1].Deadline!.Value.LastDay)); // Giỗ Tổ, 30/04–01/05
        Assert.Equal((5, new DateOnly(2027, 2, 16)), (tasks[2].Term!.Days, tasks[2].Deadline!.Value.LastDay)); // Tết 2027: 04/02–10/02
        Assert.All(tasks, t => Assert.Equal(TaskKind.Confirmation, t.Kind));
    }

    [Fact]
    public void The_date_a_term_counts_from_is_not_also_suggested_as_a_deadline_and_the_office_date_wins_over_the_heading()
    {
        var reading = DispatchReader.Read(
            "Hà Nội, ngày 05 tháng 02 năm 2026\nBáo cáo số liệu theo mẫu gửi kèm trong thời hạn 03 ngày làm việc kể từ ngày ban hành công văn.",
            Context with { IssuedOn = new DateOnly(2026, 2, 9) });

        var task = Assert.Single(reading.Tasks);
        Assert.Equal(new DateOnly(2026, 2, 5), reading.IssuedOn);
        Assert.Equal(TaskKind.Statistics, task.Kind);
        Assert.Equal(new DateOnly(2026, 2, 9), task.Term!.From);
        Assert.Equal(new DateOnly(2026, 2, 12), task.Deadline!.Value.LastDay);
    }

    [Theory]
    [InlineData("kể từ ngày nhận được dự thảo")]
    [InlineData("sau ngày tổ chức sinh hoạt")]
    [InlineData("kể từ ngày hết hạn nhận hồ sơ")]
    public void A_term_counted_from_some_other_event_is_no_deadline_and_stays_in_the_title(string from)
    {
        var task = Assert.Single(DispatchReader.Read($"1. Gửi ý kiến bằng văn bản trong thời hạn 05 ngày làm việc {from}.", Context).Tasks);

        Assert.Null(task.Deadline);
        Assert.Equal($"Gửi ý kiến bằng văn bản trong thời hạn 05 ngày làm việc {from}", task.Title);
    }

    [Fact]
    public void An_item_gives_its_task_to_the_body_it_opens_with_and_a_collective_subject_picks_among_the_addressees()
    {
        var tasks = DispatchReader.Read(
            "Kính gửi: Các đảng ủy, chi bộ cơ sở trực thuộc; Văn phòng Đảng ủy; Ủy ban Kiểm tra Đảng ủy.\n"
            + "1. Các chi bộ trực thuộc tổ chức kiểm điểm xong trước ngày 15/12/2026.\n"
            + "2. Giao Văn phòng Đảng ủy chủ trì tổng hợp kết quả.\n"
            + "3. Ủy ban Kiểm tra Đảng ủy: thẩm định kết quả kiểm điểm.\n"
            + "4. Văn phòng Đảng ủy có trách nhiệm hướng dẫn các đơn vị.\n"
            + "5. Rà soát danh sách đảng viên.",
            Context).Tasks;

        Assert.Equal(
            [
                ("Các chi bộ trực thuộc tổ chức kiểm điểm xong", "Các đảng ủy, chi bộ cơ sở trực thuộc"),
                ("Chủ trì tổng hợp kết quả", "Văn phòng Đảng ủy"),
                ("Thẩm định kết quả kiểm điểm", "Ủy ban Kiểm tra Đảng ủy"),
                ("Có trách nhiệm hướng dẫn các đơn vị", "Văn phòng Đảng ủy"),
                ("Rà soát danh sách đảng viên", "Các đảng ủy, chi bộ cơ sở trực thuộc|Văn phòng Đảng ủy|Ủy ban Kiểm tra Đảng ủy"),
            ],
            tasks.Select(t => (t.Title, string.Join('|', t.Recipients))));
    }

    [Fact]
    public void Bullets_under_an_action_are_its_details_unless_one_has_a_deadline_of_its_own()
    {
        var tasks = Read("004_").Tasks;

        Assert.Equal(4, tasks.Count);
        Assert.Null(tasks[0].Deadline); // 1. Tiếp tục chỉ đạo … (no deadline)
        Assert.DoesNotContain(tasks, t => t.Title.StartsWith("Chỉ đạo cán bộ quản trị", StringComparison.Ordinal) || t.Title.StartsWith("Lưu ý", StringComparison.Ordinal));
        Assert.Equal(("Gửi báo cáo kết quả thực hiện về Văn phòng Đảng ủy UBND tỉnh (theo mẫu gửi kèm)", TaskKind.Statistics), (tasks[3].Title, tasks[3].Kind));
        Assert.Equal(VietnamTime.StartOf(new DateOnly(2026, 2, 10)), tasks[3].Deadline!.Value.PassesAt);
        Assert.All(tasks, t => Assert.Equal(["Các đảng ủy, chi bộ cơ sở trực thuộc"], t.Recipients));
    }

    [Fact]
    public void Nothing_in_the_text_reads_as_nothing()
    {
        Assert.False(DispatchReader.Read("   \n\n", Context).FoundAnything);
        Assert.False(DispatchReader.Read("Xin chào.", Context).FoundAnything);
    }

    [Theory]
    [InlineData("- Các Đảng bộ, chi bộ trực thuộc,", "Các Đảng bộ, chi bộ trực thuộc")]
    [InlineData("- Văn phòng Đảng ủy, Ban Xây dựng Đảng.", "Văn phòng Đảng ủy|Ban Xây dựng Đảng")]
    [InlineData("Đoàn Thanh niên, Hội Liên hiệp Phụ nữ, Hội Cựu chiến binh phường.", "Đoàn Thanh niên|Hội Liên hiệp Phụ nữ|Hội Cựu chiến binh phường")]
    [InlineData("- Ủy ban MTTQ và các tổ chức chính trị - xã hội,", "Ủy ban MTTQ và các tổ chức chính trị - xã hội")]
    public void An_addressee_line_splits_where_a_comma_is_followed_by_another_body(string line, string groups)
    {
        Assert.Equal(groups.Split('|'), RecipientGroups.Split(line));
    }

    [Fact]
    public void Every_title_fits_a_task_of_the_directive()
    {
        var all = ExpectedDispatch.All(Fixtures).SelectMany(e => DispatchReader.Read(e.Text(Fixtures), e.Context).Tasks);

        Assert.All(all, t => Assert.InRange(t.Title.Length, 10, DirectiveRegistration.MaxTitleLength));
    }
}
