using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Browser;

/// <summary>
/// The office pastes the Đống Đa dispatch (seed 000) into the new-directive form and presses "Gợi ý",
/// in the real headless Chromium on the desktop and on a 360 px phone with JavaScript off, over a
/// ward's unit tree: what it had typed stays, the issuer and subject are filled, the blank number
/// and day are pointed out, the twenty items come as tasks with their whole text — two with their
/// deadlines, eighteen asking for one — and the units each item names are ticked, the one the tree
/// lacks named for the clerk. Screenshots 21–24 (21, 22 and 24: the page's first 4,000 pixels).
/// </summary>
public sealed class DispatchSuggestionStoryTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 13, 8, 0, 0, Vn));
    private HandlerApp _app = null!;

    private static string Seed => Repository.SharedSeed("000_");

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), services: s => s.AddSingleton<TimeProvider>(_clock));
        var office = new OfficeClient(_app.Start());

        // The ward's tree as the office keeps it; it has not added the inspection committee yet.
        await office.PutUnitAsync("dang-uy", "Đảng ủy phường Đống Đa", 1, null);
        await office.PutUnitAsync("kdc-1", "Chi bộ Khu dân cư số 1", 2, "dang-uy");
        await office.PutUnitAsync("kdc-2", "Chi bộ Khu dân cư số 2", 2, "dang-uy");
        await office.PutUnitAsync("kdc-2-to-3", "Chi bộ Tổ dân phố 3", 4, "kdc-2");
        await office.PutUnitAsync("khoi-dn", "Đảng bộ Khối doanh nghiệp phường", 2, "dang-uy");
        await office.PutUnitAsync("van-phong", "Văn phòng Đảng ủy", 2, "dang-uy");
        await office.PutUnitAsync("ban-xdd", "Ban Xây dựng Đảng", 2, "dang-uy");
        await office.PutUnitAsync("mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam phường Đống Đa", 2, "dang-uy");
        await office.PutUnitAsync("doan-tn", "Đoàn Thanh niên phường Đống Đa", 2, "dang-uy");
        await _app.AddAccountAsync("vanphong", ServerlessWorkflow.Domain.Accounts.OfficeRole.VanPhong);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    [Fact]
    public async Task Pasting_the_Dong_Da_dispatch_fills_the_form_with_its_fields_twenty_tasks_and_their_units_keeping_what_was_typed()
    {
        await using var desk = await browser.NewContextAsync(BrowserFixture.Desktop);
        var office = await desk.NewPageAsync();
        await office.GotoAsync(Url("office/directives/new"));
        await BrowserFixture.SignInAsync(office, "vanphong");

        // The clerk has typed the number the office gave the dispatch and a task of its own.
        await office.GetByLabel("Số công văn").FillAsync("123-CV/ĐU");
        await office.Locator("#t0-title").FillAsync("Báo cáo nhanh số đảng viên đã đăng nhập");
        await office.Locator("#t0-deadline").FillAsync("20/02/2026");
        await office.Locator("#t0-units").SelectOptionAsync(["van-phong"]);
        await office.GetByLabel("Dán nội dung công văn").FillAsync(Seed);
        await office.GetByRole(AriaRole.Button, new() { Name = "Gợi ý nhiệm vụ từ nội dung" }).ClickAsync();

        var status = office.GetByRole(AriaRole.Status);
        await Assertions.Expect(status).ToContainTextAsync("Đã gợi ý 20 nhiệm vụ từ nội dung công văn (18 nhiệm vụ công văn không ghi hạn: được theo dõi, không gửi thư nhắc, trừ khi nhập hạn).");
        await Assertions.Expect(status).ToContainTextAsync("Đã điền cơ quan ban hành, trích yếu theo công văn.");
        await Assertions.Expect(status).ToContainTextAsync("Công văn chưa ghi ngày ban hành: xin nhập ngày.");
        await office.WaitForLoadStateAsync(LoadState.Load); // the status is at the top: the rows below may still be arriving
        Assert.Equal("123-CV/ĐU", await office.GetByLabel("Số công văn").InputValueAsync());
        Assert.Equal(string.Empty, await office.GetByLabel("Ngày ban hành (ngày/tháng/năm)").InputValueAsync());
        Assert.Equal("Đảng ủy phường Đống Đa", await office.GetByLabel("Cơ quan ban hành").InputValueAsync());
        Assert.Equal("Triển khai rà soát, cập nhật dữ liệu và thực hiện 4 thủ tục hành chính của đảng trên môi trường điện tử", await office.GetByLabel("Trích yếu").InputValueAsync());

        // The typed task first, as typed; then the dispatch's, whole, without markdown.
        Assert.Equal(("Báo cáo nhanh số đảng viên đã đăng nhập", "20/02/2026"), (await office.Locator("#t0-title").InputValueAsync(), await office.Locator("#t0-deadline").InputValueAsync()));
        Assert.Equal(["van-phong"], await SelectedAsync(office, 0));
        var titles = await office.Locator("textarea[id$='-title']").EvaluateAllAsync<string[]>("ts => ts.map(t => t.value).filter(v => v.length > 0)");
        Assert.Equal(21, titles.Length); // and one empty row to type another
        Assert.All(titles, t => Assert.DoesNotContain(t, c => c is '…' or '*' or '#'));
        Assert.StartsWith("Khẩn trương tổ chức triển khai đến 100% đảng viên", titles[1], StringComparison.Ordinal);

        // Item 1.1 has no deadline: the field is empty, the task will be tracked without reminders unless one is typed (issue 16 point 3); 1.2 is due by the end of 25/02.
        Assert.Equal(string.Empty, await office.Locator("#t1-deadline").InputValueAsync());
        await Assertions.Expect(office.Locator("#t1-due")).ToContainTextAsync("Không có hạn: nhiệm vụ được theo dõi, không gửi thư nhắc. Nhập hạn nếu cần nhắc.");
        Assert.Equal("Tập trung rà soát việc sử dụng tài khoản ngân hàng phục vụ công tác thu, nộp đảng phí", titles[2]);
        Assert.Equal("25/02/2026", await office.Locator("#t2-deadline").InputValueAsync());
        await Assertions.Expect(office.Locator("#t2-due")).ToContainTextAsync("Hạn là hết ngày 25/02/2026 (thứ Tư).");

        // The units each item names are ticked: "các Đảng bộ, chi bộ trực thuộc" are those directly under the ward's committee.
        await Assertions.Expect(office.Locator("#t1-named")).ToContainTextAsync("Công văn giao cho: Các Đảng bộ, chi bộ trực thuộc. Đã chọn sẵn: Chi bộ Khu dân cư số 1, Chi bộ Khu dân cư số 2, Đảng bộ Khối doanh nghiệp phường — xin kiểm tra.");
        Assert.Equal(["kdc-1", "kdc-2", "khoi-dn"], await SelectedAsync(office, 1));
        var front = Array.FindIndex(titles, t => t.StartsWith("Phối hợp tuyên truyền", StringComparison.Ordinal));
        Assert.Equal(["doan-tn", "mttq"], await SelectedAsync(office, front));
        var office1 = Array.FindIndex(titles, t => t.StartsWith("Bộ phận kế toán và thủ quỹ", StringComparison.Ordinal));
        Assert.Equal("27/02/2026", await office.Locator($"#t{office1}-deadline").InputValueAsync());
        Assert.Equal(["van-phong"], await SelectedAsync(office, office1));
        var inspection = Array.FindIndex(titles, t => t.StartsWith("Tăng cường giám sát", StringComparison.Ordinal));
        await Assertions.Expect(office.Locator($"#t{inspection}-named")).ToContainTextAsync("Chưa có đơn vị trùng tên trong danh sách: Ủy ban Kiểm tra Đảng ủy — xin chọn đơn vị tương ứng.");
        Assert.Empty(await SelectedAsync(office, inspection));
        await TopScreenshotAsync(office, "21-goi-y-tu-cong-van", 1280);

        // Pressing "Gợi ý" again adds nothing twice.
        await office.GetByRole(AriaRole.Button, new() { Name = "Gợi ý nhiệm vụ từ nội dung" }).ClickAsync();
        await Assertions.Expect(status).ToContainTextAsync("Không có nhiệm vụ mới để gợi ý");
        await Assertions.Expect(office.Locator("textarea[id$='-title']")).ToHaveCountAsync(22);

        // "Tạo" with a task no unit is chosen for: each problem named in the clerk's words, every choice kept (a task without a deadline is no problem).
        await office.GetByLabel("Ngày ban hành (ngày/tháng/năm)").FillAsync("10/02/2026");
        await office.GetByRole(AriaRole.Button, new() { Name = "Tạo công văn", Exact = true }).ClickAsync();
        var alert = office.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync($"Nhiệm vụ {inspection + 1}, đơn vị: Cần giao nhiệm vụ cho ít nhất một đơn vị.");
        await Assertions.Expect(alert).Not.ToContainTextAsync("Chưa có hạn");
        await Assertions.Expect(alert).Not.ToContainTextAsync("yyyy");
        await Assertions.Expect(alert).Not.ToContainTextAsync("deadline");
        Assert.Equal(["kdc-1", "kdc-2", "khoi-dn"], await SelectedAsync(office, 1));
        Assert.Equal("10/02/2026", await office.GetByLabel("Ngày ban hành (ngày/tháng/năm)").InputValueAsync());
        await TopScreenshotAsync(office, "22-goi-y-thieu-han", 1280);

        // The office follows the two dated items and its own task now, gives 1.1 a deadline and leaves out the rest.
        await office.Locator("#t1-deadline").FillAsync("27/02/2026");
        for (var i = 3; i < 21; i++)
        {
            if (i != office1)
            {
                await office.Locator($"#t{i}-drop").CheckAsync();
            }
        }

        await office.GetByRole(AriaRole.Button, new() { Name = "Tạo công văn", Exact = true }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã tạo công văn");
        var tasks = office.Locator("main ol").First;
        await Assertions.Expect(tasks.Locator("li")).ToHaveCountAsync(4);
        await Assertions.Expect(tasks).ToContainTextAsync("Tập trung rà soát việc sử dụng tài khoản ngân hàng phục vụ công tác thu, nộp đảng phí");
        await Assertions.Expect(tasks).ToContainTextAsync("hạn 25/02/2026");
        await Assertions.Expect(tasks).ToContainTextAsync("hạn 27/02/2026");
        await BrowserFixture.ScreenshotAsync(office, "23-cong-van-tu-goi-y");
    }

    [Fact]
    public async Task On_a_phone_the_suggested_form_fits_360_pixels_without_JavaScript()
    {
        await using var context = await browser.NewContextAsync(BrowserFixture.Phone);
        var phone = await SuggestedAsync(context);
        await Assertions.Expect(phone.Locator("#t1-named")).ToContainTextAsync("Công văn giao cho: Các Đảng bộ, chi bộ trực thuộc.");
        await TopScreenshotAsync(phone, "24-goi-y-dien-thoai", 360);

        // Measured with script on (the phone above has none), at the same width.
        await using var measuring = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 360, Height = 740 }, IsMobile = true });
        var page = await SuggestedAsync(measuring);
        await BrowserFixture.AssertFitsPhoneAsync(page);
    }

    /// <summary>
    /// The top of a page that twenty suggested tasks make very tall (the heading, the note, the fields
    /// and the first tasks): a whole-page screenshot of it takes longer than the browser allows on a
    /// loaded machine.
    /// </summary>
    private static async Task TopScreenshotAsync(IPage page, string name, float width)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true, Clip = new Clip { X = 0, Y = 0, Width = width, Height = 4000 } });
    }

    /// <summary>The new-directive form in <paramref name="context"/>, signed in, with seed 000 pasted and "Gợi ý" pressed.</summary>
    private async Task<IPage> SuggestedAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url("office/directives/new"));
        await BrowserFixture.SignInAsync(page, "vanphong");
        await page.GetByLabel("Dán nội dung công văn").FillAsync(Seed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Gợi ý nhiệm vụ từ nội dung" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã gợi ý 20 nhiệm vụ");
        return page;
    }

    private static async Task<string[]> SelectedAsync(IPage page, int row) =>
        [.. (await page.Locator($"#t{row}-units option:checked").EvaluateAllAsync<string[]>("os => os.map(o => o.value)")).Order(StringComparer.Ordinal)];
}
