using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Browser;

/// <summary>
/// The office keeps its working-day calendar on the calendar page and registers a dispatch whose
/// deadline is in working days, in the real headless Chromium (desktop, and a 360 px phone with
/// JavaScript off), on a fake clock (10/02/2026, just before Tết Bính Ngọ). Screenshots 11–14.
/// </summary>
public sealed class CalendarStoryTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 10, 8, 0, 0, Vn));
    private HandlerApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), services: s => s.AddSingleton<TimeProvider>(_clock));
        await new OfficeClient(_app.Start()).SeedUnitsAsync();
        await _app.AddAccountAsync("vanphong", ServerlessWorkflow.Domain.Accounts.OfficeRole.VanPhong);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    [Fact]
    public async Task The_office_reads_and_edits_the_years_calendar_and_a_dispatch_in_working_days_is_counted_with_it()
    {
        await using var desk = await browser.NewContextAsync(BrowserFixture.Desktop);
        var office = await desk.NewPageAsync();
        await office.GotoAsync(Url("office/calendar"));
        await BrowserFixture.SignInAsync(office, "vanphong");

        // This year's calendar, by the Labour Code: Tết Bính Ngọ, Giỗ Tổ on a Sunday given back on the Monday.
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "Lịch làm việc năm 2026" })).ToBeVisibleAsync();
        var days = office.Locator("table").First;
        await Assertions.Expect(days).ToContainTextAsync("Tết Nguyên đán (mùng 1 Tết)");
        await Assertions.Expect(days).ToContainTextAsync("Giỗ Tổ Hùng Vương (10/3 âm lịch) — trùng ngày nghỉ hằng tuần");
        await Assertions.Expect(days).ToContainTextAsync("Nghỉ bù Giỗ Tổ Hùng Vương");
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("Chưa sửa lần nào");

        // A day already past cannot change: the form says why and keeps what was typed.
        var add = office.Locator("#ngay-quyet-dinh");
        await add.GetByLabel("Ngày (ngày/tháng/năm)").FillAsync("09/02/2026");
        await add.GetByLabel("Lý do").FillAsync("Nghỉ bù");
        await add.GetByRole(AriaRole.Button, new() { Name = "Thêm" }).ClickAsync();
        await Assertions.Expect(office.Locator("#ngay-quyet-dinh [role=alert]")).ToContainTextAsync("Ngày 09/02/2026 đã qua");
        Assert.Equal("09/02/2026", await office.Locator("#ngay-quyet-dinh").GetByLabel("Ngày (ngày/tháng/năm)").InputValueAsync());

        // An extra day off after Tết, and a Saturday worked to make up for it.
        await AddAsync(office, "23/02/2026", "day-off", "Nghỉ thêm sau Tết theo Thông báo 20-TB/VPĐU");
        await AddAsync(office, "07/03/2026", "working-day", "Làm bù cho ngày 23/02");
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã lưu lịch");
        await Assertions.Expect(office.Locator("#ngay-quyet-dinh ul.days")).ToContainTextAsync("Nghỉ thêm sau Tết theo Thông báo 20-TB/VPĐU");
        await Assertions.Expect(days).ToContainTextAsync("Làm việc: Làm bù cho ngày 23/02");
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("Cán bộ vanphong: Thêm ngày làm bù 07/03/2026: Làm bù cho ngày 23/02");

        // The calculator counts with it: five working days from 13/02 step over Tết and 23/02.
        await office.GetByLabel("Số ngày làm việc").FillAsync("5");
        await office.GetByLabel("Kể từ ngày (ngày/tháng/năm)").FillAsync("13/02/2026");
        await office.GetByRole(AriaRole.Button, new() { Name = "Tính hạn" }).ClickAsync();
        await Assertions.Expect(office.Locator("#tinh-han [role=status]")).ToContainTextAsync("hạn là hết ngày 02/03/2026 (thứ Hai)");
        await Assertions.Expect(office.Locator("#tinh-han")).ToContainTextAsync("Nghỉ thêm sau Tết theo Thông báo 20-TB/VPĐU 23/02");
        await office.Locator("details summary").ClickAsync();
        await BrowserFixture.ScreenshotAsync(office, "11-lich-lam-viec");

        // A dispatch asks for a report "within 05 working days of receipt": received today, due after Tết.
        await office.GotoAsync(Url("office/directives/new"));
        await office.GetByLabel("Dán nội dung công văn").FillAsync(
            "Đống Đa, ngày 09 tháng 02 năm 2026\n2. Các chi bộ báo cáo kết quả rà soát tài khoản về Văn phòng Đảng ủy trong vòng 05 ngày làm việc kể từ ngày nhận được Công văn này.");
        await office.GetByRole(AriaRole.Button, new() { Name = "Gợi ý nhiệm vụ từ nội dung" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã gợi ý 1 nhiệm vụ");
        Assert.Equal("05 ngày làm việc kể từ ngày 10/02/2026", await office.Locator("#t0-deadline").InputValueAsync());
        await Assertions.Expect(office.Locator("#t0-due")).ToContainTextAsync("Hạn là hết ngày 25/02/2026 (thứ Tư).");
        await Assertions.Expect(office.Locator("#t0-due")).ToContainTextAsync("không tính 10 ngày nghỉ: Tết Nguyên đán 16/02–20/02; Nghỉ thêm sau Tết theo Thông báo 20-TB/VPĐU 23/02; 4 ngày thứ Bảy, Chủ nhật.");
        await office.GetByLabel("Số công văn").FillAsync("20-CV/ĐU");
        await office.GetByLabel("Ngày ban hành (ngày/tháng/năm)").FillAsync("09/02/2026");
        await office.GetByLabel("Trích yếu").FillAsync("Rà soát tài khoản ngân hàng của các tổ chức đảng");
        await office.Locator("#t0-units").SelectOptionAsync(["dang-bo-a", "chi-bo-b"]);
        await BrowserFixture.ScreenshotAsync(office, "13-tao-cong-van-ngay-lam-viec");
        await office.GetByRole(AriaRole.Button, new() { Name = "Tạo công văn", Exact = true }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã tạo công văn");
        await Assertions.Expect(office.Locator("main ol")).ToContainTextAsync("hạn 25/02/2026, tính 05 ngày làm việc kể từ ngày 10/02/2026");

        // Days later the silent units are late — in working days.
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 9, 0, 0, Vn));
        await office.ReloadAsync();
        if (office.Url.Contains("/office/login", StringComparison.Ordinal))
        {
            await BrowserFixture.SignInAsync(office, "vanphong");
        }

        await Assertions.Expect(office.Locator("table.matrix tbody tr").First.Locator("td").First).ToContainTextAsync("Quá hạn 3 ngày làm việc"); // 26, 27/02 and 02/03
        await BrowserFixture.ScreenshotAsync(office, "14-bang-qua-han-ngay-lam-viec");

        // The calendar page on a 360 px phone, JavaScript off.
        await using var phoneContext = await browser.NewContextAsync(BrowserFixture.Phone);
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(Url("office/calendar/2026"));
        await BrowserFixture.SignInAsync(phone, "vanphong");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Lịch làm việc năm 2026" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(phone, "12-lich-lam-viec-dien-thoai");
        await browser.AssertFitsPhoneAsync(Url("office/calendar/2026"), signInAs: "vanphong");
    }

    private static async Task AddAsync(IPage office, string date, string change, string reason)
    {
        var add = office.Locator("#ngay-quyet-dinh");
        await add.GetByLabel("Ngày (ngày/tháng/năm)").FillAsync(date);
        await add.GetByLabel("Loại ngày").SelectOptionAsync(change);
        await add.GetByLabel("Lý do").FillAsync(reason);
        await add.GetByRole(AriaRole.Button, new() { Name = "Thêm" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã lưu lịch");
    }
}
