using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Browser;

/// <summary>
/// Issue 16's story from an empty store, in the real headless Chromium: the office of Đống Đa ward
/// enters its units on the units page — party organisations at their level, the mass organisations
/// and the office without one — pastes its dispatch (seed 000), presses "Gợi ý", keeps the items
/// without a deadline (tracked, never reminded), keeps the two deadlines the dispatch gives, chooses
/// who leads (chủ trì) and who takes part (phối hợp), adds a task of its own with "Thêm nhiệm vụ",
/// creates the directive and reads the board; a cell opens its link on a 360 px phone and reports;
/// the office extends a deadline on "Sửa công văn" and the cell reads the change and its reason.
/// Screenshots 000-*.
/// </summary>
public sealed class Seed000StoryTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 13, 8, 0, 0, Vn));
    private HandlerApp _app = null!;

    private static string Seed => Repository.SharedSeed("000_");

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), services: s => s.AddSingleton<TimeProvider>(_clock));
        _app.Start().Dispose();
        await _app.AddAccountAsync("vanphong", OfficeRole.VanPhong);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    private static async Task AddUnitAsync(IPage office, string url, string id, string name, string kind, string level, string parent)
    {
        await office.GotoAsync(url);
        await office.Locator("#them summary").ClickAsync();
        await office.Locator("#id").FillAsync(id);
        await office.Locator("#name").FillAsync(name);
        await office.Locator("#kind").SelectOptionAsync(kind);
        await office.Locator("#level").SelectOptionAsync(level);
        if (parent.Length > 0)
        {
            await office.Locator("#parentId").SelectOptionAsync(parent);
        }

        await office.Locator("#emails").FillAsync($"{id}@example.invalid");
        await office.GetByRole(AriaRole.Button, new() { Name = "Thêm đơn vị" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã thêm đơn vị.");
    }

    private static async Task<string[]> SelectedAsync(IPage page, int row) =>
        [.. (await page.Locator($"#t{row}-units option:checked").EvaluateAllAsync<string[]>("os => os.map(o => o.value)")).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task The_Dong_Da_office_enters_its_units_registers_dispatch_000_with_undated_tasks_and_roles_a_cell_reports_and_reads_an_extension()
    {
        await using var desk = await browser.NewContextAsync(BrowserFixture.Desktop);
        var office = await desk.NewPageAsync();
        await office.GotoAsync(Url("office/don-vi"));
        await BrowserFixture.SignInAsync(office, "vanphong");
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "Đơn vị", Exact = true })).ToBeVisibleAsync();

        // 1. The ward's units, from nothing: the committee, its cells and committees, and the bodies without a level.
        var units = Url("office/don-vi");
        await AddUnitAsync(office, units, "dang-uy", "Đảng ủy phường Đống Đa", "party-organisation", "1", string.Empty);
        await AddUnitAsync(office, units, "kdc-1", "Chi bộ Khu dân cư số 1", "party-organisation", "2", "dang-uy");
        await AddUnitAsync(office, units, "khoi-dn", "Đảng bộ Khối doanh nghiệp phường", "party-organisation", "2", "dang-uy");
        await AddUnitAsync(office, units, "van-phong", "Văn phòng Đảng ủy", "office", string.Empty, "dang-uy");
        await AddUnitAsync(office, units, "mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam phường Đống Đa", "mass-organisation", string.Empty, "dang-uy");
        await AddUnitAsync(office, units, "doan-tn", "Đoàn Thanh niên phường Đống Đa", "mass-organisation", string.Empty, "dang-uy");
        await office.GotoAsync(units);
        await Assertions.Expect(office.Locator("ul.units > li")).ToHaveCountAsync(6);
        await BrowserFixture.ScreenshotAsync(office, "000-1-don-vi");

        // 2. The dispatch pasted; "Gợi ý" fills the form. The dispatch leaves its number and day blank: the clerk types them.
        await office.GotoAsync(Url("office/directives/new"));
        await office.GetByLabel("Dán nội dung công văn").FillAsync(Seed);
        await office.GetByRole(AriaRole.Button, new() { Name = "Gợi ý nhiệm vụ từ nội dung" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã gợi ý 20 nhiệm vụ từ nội dung công văn (18 nhiệm vụ công văn không ghi hạn: được theo dõi, không gửi thư nhắc, trừ khi nhập hạn).");
        await office.WaitForLoadStateAsync(LoadState.Load);
        await office.GetByLabel("Số công văn").FillAsync("000-CV/ĐU");
        await office.GetByLabel("Ngày ban hành (ngày/tháng/năm)").FillAsync("13/02/2026");
        var titles = await office.Locator("textarea[id$='-title']").EvaluateAllAsync<string[]>("ts => ts.map(t => t.value)");
        int Row(string start) => Array.FindIndex(titles, t => t.StartsWith(start, StringComparison.Ordinal));

        // Its two deadlines, as the dispatch writes them ("trước ngày 26/02", "trước ngày 28/02"); the rest have none and stay so.
        var bank = Row("Tập trung rà soát việc sử dụng tài khoản ngân hàng");
        var accountant = Row("Bộ phận kế toán và thủ quỹ");
        Assert.Equal("25/02/2026", await office.Locator($"#t{bank}-deadline").InputValueAsync());
        Assert.Equal("27/02/2026", await office.Locator($"#t{accountant}-deadline").InputValueAsync());
        var login = Row("Khẩn trương tổ chức triển khai đến 100% đảng viên");
        Assert.Equal(string.Empty, await office.Locator($"#t{login}-deadline").InputValueAsync());
        await Assertions.Expect(office.Locator($"#t{login}-due")).ToContainTextAsync("Không có hạn: nhiệm vụ được theo dõi, không gửi thư nhắc.");

        // Who leads: the cell of residential area 1 on logging in, the Front over the Youth Union on propaganda, the office on the accounts.
        Assert.Equal(["kdc-1", "khoi-dn"], await SelectedAsync(office, login));
        await office.Locator($"#t{login}-lead").SelectOptionAsync("kdc-1");
        var front = Row("Phối hợp tuyên truyền");
        Assert.Equal(["doan-tn", "mttq"], await SelectedAsync(office, front));
        await office.Locator($"#t{front}-lead").SelectOptionAsync("mttq");
        await office.Locator($"#t{accountant}-lead").SelectOptionAsync("van-phong");

        // Items given to bodies the ward has not entered yet (the boards, the inspection committee) are left out for now.
        var dropped = 0;
        for (var i = 0; i < titles.Length; i++)
        {
            if (titles[i].Length > 0 && (await SelectedAsync(office, i)).Length == 0)
            {
                await office.Locator($"#t{i}-drop").CheckAsync();
                dropped++;
            }
        }

        // One more task of the office's own, in a row "Thêm nhiệm vụ" adds — everything typed so far stays.
        var rows = await office.Locator("textarea[id$='-title']").CountAsync();
        await office.GetByRole(AriaRole.Button, new() { Name = "Thêm nhiệm vụ" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã thêm một ô nhiệm vụ");
        await office.WaitForLoadStateAsync(LoadState.Load);
        var kept = await office.Locator("textarea[id$='-title']").CountAsync();
        Assert.Equal(rows - dropped + 1, kept); // the rows left out are gone, one empty row more
        Assert.Equal("000-CV/ĐU", await office.GetByLabel("Số công văn").InputValueAsync());
        titles = await office.Locator("textarea[id$='-title']").EvaluateAllAsync<string[]>("ts => ts.map(t => t.value)");
        login = Row("Khẩn trương tổ chức triển khai đến 100% đảng viên");
        Assert.Equal("kdc-1", await office.Locator($"#t{login}-lead").InputValueAsync());
        var last = kept - 1;
        Assert.Equal(string.Empty, titles[last]);
        await office.Locator($"#t{last}-title").FillAsync("Báo cáo kết quả đăng nhập của chi bộ về Văn phòng Đảng ủy");
        await office.Locator($"#t{last}-units").SelectOptionAsync(["kdc-1"]);

        await office.GetByRole(AriaRole.Button, new() { Name = "Tạo công văn", Exact = true }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã tạo công văn");

        // 3. The board: the undated tasks tracked, the two deadlines, who leads.
        var tasks = office.Locator("main ol").First;
        await Assertions.Expect(tasks).ToContainTextAsync("không có hạn: chỉ theo dõi, không nhắc");
        await Assertions.Expect(tasks).ToContainTextAsync("hạn 25/02/2026");
        await Assertions.Expect(tasks).ToContainTextAsync("hạn 27/02/2026");
        await Assertions.Expect(office.Locator("table.matrix")).ToContainTextAsync("Chủ trì");
        await Assertions.Expect(office.Locator("table.matrix")).ToContainTextAsync("Phối hợp");
        await Assertions.Expect(office.Locator("table.matrix")).ToContainTextAsync("Mặt trận, đoàn thể, hội");
        var board = office.Url;
        var link = await office.GetByLabel("Đường dẫn của Chi bộ Khu dân cư số 1").InputValueAsync();
        await BrowserFixture.ScreenshotAsync(office, "000-2-bang-theo-doi");

        // 4. The cell opens its link on a phone, JavaScript off, sees its role and reports the undated task done.
        await using var phoneContext = await browser.NewContextAsync(BrowserFixture.Phone);
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(link);
        var loginTask = phone.Locator("section", new() { Has = phone.GetByRole(AriaRole.Heading, new() { Name = "Khẩn trương tổ chức triển khai đến 100% đảng viên" }) });
        await Assertions.Expect(loginTask).ToContainTextAsync("Hạn: không có hạn");
        await Assertions.Expect(loginTask).ToContainTextAsync("Vai trò của đơn vị: Chủ trì");
        await loginTask.GetByLabel("Tình trạng").SelectOptionAsync("done");
        await loginTask.GetByLabel("Ghi chú, kết quả (không bắt buộc)").FillAsync("32/32 đảng viên đã đăng nhập bằng VNeID mức 2.");
        await loginTask.GetByRole(AriaRole.Button, new() { Name = "Gửi báo cáo" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã ghi nhận báo cáo của đơn vị");
        await BrowserFixture.ScreenshotAsync(phone, "000-3-don-vi-bao-cao-dien-thoai");

        // 5. The office extends the bank-account deadline with its reason; the board and the cell's page say so.
        await office.GotoAsync(board);
        await office.GetByRole(AriaRole.Link, new() { Name = "Sửa công văn" }).ClickAsync();
        var bankTask = office.Locator("fieldset", new() { Has = office.GetByText("Tập trung rà soát việc sử dụng tài khoản ngân hàng phục vụ công tác thu, nộp đảng phí") });
        await bankTask.GetByLabel("Gia hạn đến ngày (ngày/tháng/năm), để trống nếu giữ hạn").FillAsync("06/03/2026");
        await office.GetByLabel("Lý do thay đổi").FillAsync("Ngân hàng cần thêm thời gian mở tài khoản cho tổ chức đảng");
        await BrowserFixture.ScreenshotAsync(office, "000-4-sua-cong-van");
        await office.GetByRole(AriaRole.Button, new() { Name = "Lưu thay đổi" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status).First).ToContainTextAsync("Đã lưu thay đổi");
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("đến 06/03/2026");
        await Assertions.Expect(tasks).ToContainTextAsync("hạn 06/03/2026");
        await phone.GotoAsync(link);
        await Assertions.Expect(phone.Locator("main")).ToContainTextAsync("Thay đổi của công văn");
        await Assertions.Expect(phone.Locator("main")).ToContainTextAsync("từ 25/02/2026 đến 06/03/2026 (lý do: Ngân hàng cần thêm thời gian mở tài khoản cho tổ chức đảng)");
        await BrowserFixture.ScreenshotAsync(phone, "000-5-don-vi-thay-doi-dien-thoai");

        // The office's board and its edit page on a 360 px phone: nothing scrolls sideways except the matrix in its own box.
        await using var officePhoneContext = await browser.NewContextAsync(BrowserFixture.OfficePhone);
        var officePhone = await officePhoneContext.NewPageAsync();
        await officePhone.GotoAsync(board);
        await BrowserFixture.SignInAsync(officePhone, "vanphong");
        await BrowserFixture.ScreenshotAsync(officePhone, "000-6-bang-theo-doi-dien-thoai");
        await officePhone.GotoAsync(board.Split('?')[0] + "/sua");
        await BrowserFixture.AssertFitsPhoneAsync(officePhone);
        await BrowserFixture.ScreenshotAsync(officePhone, "000-7-sua-cong-van-dien-thoai");
        await browser.AssertFitsPhoneAsync(link);
    }
}
