using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Browser;

/// <summary>
/// The whole story in a real headless Chromium, against the real handler and Azurite, on a fake
/// clock: the office signs in and creates dispatch 643 by pasting its text → a unit opens its link
/// on a 360 px phone with JavaScript off, reports a task and uploads the statistics sample → the
/// board shows it on time and the totals equal the sample → days later the unit that did nothing
/// is overdue with its escalation step on the board and its emails in the outbox. Screenshots of
/// each main page are kept in .local/screenshots.
/// </summary>
public sealed class OfficeAndUnitStoryTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 5, 8, 0, 0, Vn));
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(
            storage.ConnectionString,
            StorageFixture.NewPrefix(),
            new Dictionary<string, string?> { ["Email:From"] = "no-reply@example.invalid", ["Email:Office"] = "vanphong@example.invalid", ["Escalation:Recipients"] = "btv@example.invalid" },
            s => s.AddSingleton<TimeProvider>(_clock));
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
        await _app.AddAccountAsync("vanphong", ServerlessWorkflow.Domain.Accounts.OfficeRole.VanPhong);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    [Fact]
    public async Task Office_creates_a_directive_a_unit_reports_on_a_phone_and_the_board_shows_it_on_time_with_totals_then_the_silent_unit_escalates()
    {
        await using var desk = await browser.NewContextAsync(BrowserFixture.Desktop);
        var office = await desk.NewPageAsync();

        // The office's clerk opens the dashboard, is sent to the sign-in page, and signs in with their own account.
        await office.GotoAsync(Url("office"));
        Assert.EndsWith("/office/login?ReturnUrl=%2Foffice", office.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(office, "01-dang-nhap");
        await BrowserFixture.SignInAsync(office, "vanphong");
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "Công văn đang theo dõi" })).ToBeVisibleAsync();
        var cookie = (await desk.CookiesAsync()).Single(c => c.Name == "office");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        // It pastes the dispatch: its number, date, issuer, subject and tasks are suggested for it to
        // confirm (issue 16: item 1, without a deadline, too), the units of "Kính gửi" chosen already.
        await office.GetByRole(AriaRole.Link, new() { Name = "+ Tạo công văn mới" }).ClickAsync();
        await office.GetByLabel("Dán nội dung công văn").FillAsync(Repository.SharedSeed("004_"));
        await office.GetByRole(AriaRole.Button, new() { Name = "Gợi ý nhiệm vụ từ nội dung" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã gợi ý 4 nhiệm vụ");
        Assert.Equal("643-CV/ĐU", await office.GetByLabel("Số công văn").InputValueAsync());
        Assert.Equal(string.Empty, await office.Locator("#t0-deadline").InputValueAsync());
        Assert.Equal("05/02/2026", await office.Locator("#t1-deadline").InputValueAsync());
        Assert.Equal("09/02/2026", await office.Locator("#t3-deadline").InputValueAsync());
        Assert.Equal("statistics", await office.Locator("#t3-kind").InputValueAsync());
        Assert.Equal(["chi-bo-b", "dang-bo-a"], (await office.Locator("#t1-units option:checked").EvaluateAllAsync<string[]>("os => os.map(o => o.value)")).Order(StringComparer.Ordinal));
        await office.GetByLabel("Ngày ban hành (ngày/tháng/năm)").FillAsync("05/02/2026");
        await office.GetByLabel("Trích yếu").FillAsync("Triển khai dịch vụ công của Đảng");
        await office.Locator("#t0-drop").CheckAsync(); // this story follows the three tasks with deadlines
        for (var i = 1; i <= 3; i++)
        {
            await office.Locator($"#t{i}-units").SelectOptionAsync(["dang-bo-a", "chi-bo-b"]);
        }

        await BrowserFixture.ScreenshotAsync(office, "02-tao-cong-van");
        await office.GetByRole(AriaRole.Button, new() { Name = "Tạo công văn", Exact = true }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã tạo công văn");
        var link = await office.GetByLabel("Đường dẫn của Đảng bộ Sở Tài chính").InputValueAsync();
        var boardUrl = office.Url.Split('?')[0];

        // The unit opens its link on a phone, without JavaScript, and reports the first task done.
        await using var phoneContext = await browser.NewContextAsync(BrowserFixture.Phone);
        var phone = await phoneContext.NewPageAsync();
        var opened = await phone.GotoAsync(link);
        Assert.True((await opened!.BodyAsync()).Length < 30 * 1024, "The unit's page must stay under 30 KB.");
        await browser.AssertFitsPhoneAsync(link);
        await BrowserFixture.ScreenshotAsync(phone, "04-trang-don-vi-dien-thoai");
        var first = phone.Locator("#task-t1");
        await first.GetByLabel("Tình trạng").SelectOptionAsync("done");
        await first.GetByLabel("Ghi chú, kết quả (không bắt buộc)").FillAsync("Đã rà soát xong 12 tổ chức đảng.");
        await first.GetByRole(AriaRole.Button, new() { Name = "Gửi báo cáo" }).ClickAsync();
        await Assertions.Expect(phone.Locator("#task-t1 [role=status]")).ToContainTextAsync("Đã ghi nhận báo cáo của đơn vị lúc 08:00 05/02/2026");

        // It uploads the statistics spreadsheet; the blob trigger consolidates it.
        var stats = phone.Locator("#task-t3");
        await stats.GetByLabel("Tệp Excel (.xlsx) theo mẫu kèm công văn").SetInputFilesAsync(SamplePath);
        await stats.GetByRole(AriaRole.Button, new() { Name = "Tải bảng thống kê lên" }).ClickAsync();
        await Assertions.Expect(phone.Locator("#task-t3")).ToContainTextAsync("đang xử lý");
        await ImportUploadsAsync();
        await phone.ReloadAsync();
        await Assertions.Expect(phone.Locator("#task-t3")).ToContainTextAsync("đã chấp nhận, số liệu đã được tổng hợp");
        await BrowserFixture.ScreenshotAsync(phone, "05-trang-don-vi-da-gui");

        // The board shows the unit on time, the other still pending; the totals equal the sample's figures.
        await office.GotoAsync(boardUrl);
        var reported = office.Locator("tr", new() { Has = office.GetByRole(AriaRole.Rowheader, new() { Name = "Đảng bộ Sở Tài chính" }) });
        await Assertions.Expect(reported.Locator("td").Nth(0)).ToContainTextAsync("Đúng hạn");
        await Assertions.Expect(reported.Locator("td").Nth(2)).ToContainTextAsync("Đúng hạn");
        var silent = office.Locator("tr", new() { Has = office.GetByRole(AriaRole.Rowheader, new() { Name = "Chi bộ Văn phòng" }) });
        await Assertions.Expect(silent.Locator("td").Nth(0)).ToContainTextAsync("Chưa đến hạn");
        await BrowserFixture.ScreenshotAsync(office, "03-bang-theo-doi");

        await office.GetByRole(AriaRole.Link, new() { Name = "Xem tổng hợp số liệu" }).ClickAsync();
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("Đã báo cáo 1 · bị từ chối 0 · chưa báo cáo 1 / 2 đơn vị.");
        var expected = StatisticsParser.Parse(File.ReadAllBytes(SamplePath)).Report!;
        var figures = office.Locator("table.figures tbody tr");
        for (var r = 0; r < StatisticsTemplate.RowCount; r++)
        {
            var cells = await figures.Nth(r).Locator("td.num").AllInnerTextsAsync();
            Assert.Equal(Enumerable.Range(0, 4).Select(c => expected[r, c].ToString("#,0", ServerlessWorkflow.Domain.Time.VietnamTime.Culture)), cells);
        }

        Assert.Equal(7, await office.Locator("figure.chart svg").CountAsync());
        var download = await office.RunAndWaitForDownloadAsync(() => office.GetByRole(AriaRole.Link, new() { Name = "Tải bảng tổng hợp (.xlsx)" }).ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(office, "06-so-lieu");

        // The check runs every morning after the first deadline: the silent unit climbs one step at a
        // time, each the configured days after the one before went out, to step 3 on 10/02.
        // The office's session (12 hours from its last action) has ended meanwhile: it signs in again.
        for (var day = 6; day <= 13; day++)
        {
            _clock.SetUtcNow(new DateTimeOffset(2026, 2, day, 7, 0, 0, Vn));
            await RunCheckDeadlinesAsync();
        }

        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 13, 9, 0, 0, Vn));
        await RunCheckDeadlinesAsync();
        await office.GotoAsync(boardUrl + "?sx=tre");
        Assert.Contains("/office/login", office.Url, StringComparison.Ordinal);
        await BrowserFixture.SignInAsync(office, "vanphong");
        Assert.EndsWith("?sx=tre", office.Url, StringComparison.Ordinal);
        var late = office.Locator("table.matrix tbody tr").First;
        await Assertions.Expect(late.GetByRole(AriaRole.Rowheader)).ToContainTextAsync("Chi bộ Văn phòng");
        await Assertions.Expect(late.Locator("td").Nth(0)).ToContainTextAsync("Quá hạn 6 ngày làm việc"); // 8 calendar days, 6 working days (issue 19)
        await Assertions.Expect(late.Locator("td").Nth(0)).ToContainTextAsync("Bước 3: báo Ban Thường vụ, UBKT");
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("quá hạn chưa làm 4");
        await BrowserFixture.ScreenshotAsync(office, "07-bang-qua-han");

        await office.GetByRole(AriaRole.Link, new() { Name = "Thư đã gửi" }).ClickAsync();
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("Bước 3: báo Ban Thường vụ, UBKT");
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("Lần kiểm tra hạn tiếp theo: 09:05 13/02/2026");
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("Chỉ ghi lại, chưa gửi: chưa cấu hình dịch vụ gửi thư.");
        await BrowserFixture.ScreenshotAsync(office, "08-thu-nhac");

        // From the board, the silent unit's page: its ladders, a reminder by hand, a hold because it asked for time.
        await office.GotoAsync(boardUrl);
        await office.GetByRole(AriaRole.Link, new() { Name = "Chi bộ Văn phòng" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "Chi bộ Văn phòng" })).ToBeVisibleAsync();
        await Assertions.Expect(office.Locator("#task-t1")).ToContainTextAsync("Bước 3: báo Ban Thường vụ, UBKT");
        await office.Locator("#task-t2").GetByRole(AriaRole.Button, new() { Name = "Gửi nhắc ngay" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã nhắc đơn vị về nhiệm vụ 2: Chỉ ghi lại, chưa gửi");
        await office.Locator("#task-t3").GetByLabel("Đơn vị xin thêm thời gian? Tạm dừng nhắc đến hết ngày (ngày/tháng/năm)").FillAsync("20/02/2026");
        await office.Locator("#task-t3").GetByLabel("Lý do (không bắt buộc)").FillAsync("Đồng chí Bí thư gọi điện xin thêm một tuần");
        await office.Locator("#task-t3").GetByRole(AriaRole.Button, new() { Name = "Tạm dừng nhắc" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã tạm dừng nhắc nhiệm vụ 3 đến hết ngày 20/02/2026.");
        await Assertions.Expect(office.Locator("#task-t3")).ToContainTextAsync("Đang tạm dừng nhắc đến hết ngày 20/02/2026");
        await BrowserFixture.ScreenshotAsync(office, "09-thu-nhac-don-vi");
        var unitPage = office.Url.Split('?')[0];

        // The same office pages on a phone, 360 px wide.
        await using var officePhone = await browser.NewContextAsync(BrowserFixture.OfficePhone);
        var pocket = await officePhone.NewPageAsync();
        await pocket.GotoAsync(Url("office"));
        await BrowserFixture.SignInAsync(pocket, "vanphong");
        foreach (var (url, name) in new[] { (boardUrl + "?sx=tre", "07-bang-qua-han-dien-thoai"), (Url("office/outbox"), "08-thu-nhac-dien-thoai"), (unitPage, "09-thu-nhac-don-vi-dien-thoai") })
        {
            await pocket.GotoAsync(url);
            await BrowserFixture.AssertFitsPhoneAsync(pocket);
            await BrowserFixture.ScreenshotAsync(pocket, name);
        }

        // Signing out ends the session: the dashboard asks to sign in again.
        await office.GetByRole(AriaRole.Button, new() { Name = "Đăng xuất" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã đăng xuất");
        await office.GotoAsync(Url("office"));
        Assert.Contains("/office/login", office.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_old_dispatch_is_flagged_on_the_form_on_a_phone_with_what_will_be_sent_and_is_created_without_reminders()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 22, 10, 0, 0, Vn));
        await using var phone = await browser.NewContextAsync(BrowserFixture.OfficePhone);
        var page = await phone.NewPageAsync();
        await page.GotoAsync(Url("office/directives/new"));
        await BrowserFixture.SignInAsync(page, "vanphong");

        await page.GetByLabel("Số công văn").FillAsync("643-CV/ĐU");
        await page.GetByLabel("Ngày ban hành (ngày/tháng/năm)").FillAsync("05/02/2026");
        await page.GetByLabel("Trích yếu").FillAsync("Triển khai dịch vụ công của Đảng");
        await page.Locator("#t0-title").FillAsync("Mở tài khoản ngân hàng đứng tên tổ chức đảng");
        await page.Locator("#t0-deadline").FillAsync("Trước ngày 26/02/2026");
        await page.Locator("#t0-units").SelectOptionAsync(["chi-bo-b"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Tạo công văn", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync("Có 1 nhiệm vụ đã quá hạn khi tạo.");
        await Assertions.Expect(page.Locator("p.caution")).ToContainTextAsync("Hạn hoàn thành (hết ngày 25/02/2026) đã qua 300 ngày.");
        await Assertions.Expect(page.Locator("p.caution")).ToContainTextAsync("Bước 2: báo cấp trên — khoảng 07:00 23/12/2026");
        Assert.Equal("Trước ngày 26/02/2026", await page.Locator("#t0-deadline").InputValueAsync());
        await BrowserFixture.AssertFitsPhoneAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "10-tao-cong-van-qua-han-dien-thoai");

        await page.Locator("input[name='tasks[0].quiet']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Tạo công văn", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã tạo công văn");
        await Assertions.Expect(page.Locator("main ol")).ToContainTextAsync("tạo khi đã quá hạn · không nhắc");
    }

    private static string SamplePath => Repository.SharedSample("bao-cao-thong-ke-vi-du.xlsx");

    /// <summary>Invokes ImportStatistics for every uploaded blob, as the Functions host does on its blob trigger.</summary>
    private Task ImportUploadsAsync() => StatisticsImports.ImportAllAsync(_office.Http, StatisticsImports.Uploads(storage.ConnectionString, _app.Prefix), _clock.GetUtcNow());

    private async Task RunCheckDeadlinesAsync()
    {
        var payload = InvocationPayloads.ForTimer("CheckDeadlines", "timer", null, _clock.GetUtcNow().AddMinutes(5), false, _clock.GetUtcNow());
        using var response = await _office.Http.PostAsJsonAsync("CheckDeadlines", payload, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
