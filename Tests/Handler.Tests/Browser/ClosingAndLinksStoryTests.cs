using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Browser;

/// <summary>
/// Issue 16, points 4 and 5 in a real headless Chromium, JavaScript off on the unit's phone: the
/// office sends a unit its link again and issues it a new one from the unit's page on the board, the
/// old link on the unit's phone says it was replaced; then the office closes the directive through the
/// confirmation, the unit's phone shows what it sent with the notice and no form, and the office finds
/// the directive under "Đã kết thúc". Office pages at desktop size and at 360 px; screenshots in
/// .local/screenshots (16-*).
/// </summary>
public sealed class ClosingAndLinksStoryTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 10, 9, 0, 0, Vn));
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(
            storage.ConnectionString,
            StorageFixture.NewPrefix(),
            new Dictionary<string, string?> { ["Email:From"] = "no-reply@example.invalid", ["Email:Office"] = "vanphong@example.invalid" },
            s => s.AddSingleton<TimeProvider>(_clock));
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
        await _app.AddAccountAsync("vanphong", ServerlessWorkflow.Domain.Accounts.OfficeRole.VanPhong);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    [Fact]
    public async Task The_office_resends_and_reissues_a_units_link_then_closes_the_directive_and_the_unit_sees_it_read_only_on_its_phone()
    {
        var registered = await _office.RegisterAsync("2026-02-25", "chi-bo-b", "dang-bo-a");
        var id = registered.GetProperty("id").GetString()!;
        var oldLink = Url("u/" + OfficeClient.TokenFor(registered, "chi-bo-b"));

        await using var desk = await browser.NewContextAsync(BrowserFixture.Desktop);
        var office = await desk.NewPageAsync();
        await office.GotoAsync(Url($"office/directives/{id}"));
        await BrowserFixture.SignInAsync(office, "vanphong");

        // From the board's list of links to the unit's page, where its link is sent again, then replaced.
        await office.GetByText("Đường dẫn của các đơn vị").ClickAsync();
        await office.Locator("details tr", new() { HasText = "Chi bộ Văn phòng" }).GetByRole(AriaRole.Link, new() { Name = "Gửi lại, cấp đường dẫn mới" }).ClickAsync();
        await office.GetByRole(AriaRole.Button, new() { Name = "Gửi lại đường dẫn cho đơn vị" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã gửi lại đường dẫn cho đơn vị");
        await office.GetByRole(AriaRole.Button, new() { Name = "Thu hồi và cấp đường dẫn mới" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã cấp đường dẫn mới cho đơn vị; đường dẫn cũ không còn dùng được.");
        var newLink = await office.GetByLabel("Đường dẫn của Chi bộ Văn phòng").InputValueAsync();
        Assert.NotEqual(oldLink, newLink);
        await BrowserFixture.ScreenshotAsync(office, "16-duong-dan-don-vi");
        var unitPage = office.Url.Split('?')[0];

        await using var phoneContext = await browser.NewContextAsync(BrowserFixture.Phone);
        var phone = await phoneContext.NewPageAsync();
        var replaced = await phone.GotoAsync(oldLink);
        Assert.Equal(410, replaced!.Status);
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Đường dẫn đã được thay" })).ToBeVisibleAsync();
        await Assertions.Expect(phone.GetByText("Đường dẫn này đã được thay bằng đường dẫn mới.")).ToBeVisibleAsync();
        await browser.AssertFitsPhoneAsync(oldLink);
        await BrowserFixture.ScreenshotAsync(phone, "16-duong-dan-cu-dien-thoai");

        // The unit reports with its new link; then the office closes the directive from the board.
        await phone.GotoAsync(newLink);
        await phone.GetByLabel("Tình trạng").SelectOptionAsync("in-progress");
        await phone.GetByLabel("Ghi chú, kết quả (không bắt buộc)").FillAsync("Đang rà soát danh sách");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Gửi báo cáo" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã ghi nhận báo cáo");

        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 10, 15, 0, 0, Vn));
        await office.GotoAsync(Url($"office/directives/{id}"));
        await office.GetByRole(AriaRole.Link, new() { Name = "Đóng công văn" }).ClickAsync();
        await office.GetByLabel("Ghi chú (không bắt buộc), ví dụ: đã tổng hợp, báo cáo cấp trên").FillAsync("Đã tổng hợp, báo cáo Thành ủy");
        await BrowserFixture.ScreenshotAsync(office, "16-dong-cong-van");
        var confirmPage = office.Url;
        await office.GetByRole(AriaRole.Button, new() { Name = "Đóng công văn" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã đóng công văn.");
        await Assertions.Expect(office.GetByText("Công văn đã kết thúc ngày 10/02/2026 (")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(office, "16-bang-da-ket-thuc");

        await phone.GotoAsync(newLink);
        await Assertions.Expect(phone.GetByText("Công văn đã kết thúc ngày 10/02/2026; không nhận thêm báo cáo.")).ToBeVisibleAsync();
        await Assertions.Expect(phone.GetByText("Đang rà soát danh sách")).ToBeVisibleAsync();
        Assert.Equal(0, await phone.GetByRole(AriaRole.Button, new() { Name = "Gửi báo cáo" }).CountAsync());
        await browser.AssertFitsPhoneAsync(newLink);
        await BrowserFixture.ScreenshotAsync(phone, "16-trang-don-vi-da-ket-thuc-dien-thoai");

        // Out of the working list, found under "Đã kết thúc" by its number typed without diacritics.
        await office.GotoAsync(Url("office"));
        await Assertions.Expect(office.GetByText("1 công văn đã kết thúc")).ToBeVisibleAsync();
        await office.GetByLabel("Tìm theo số, trích yếu (gõ không dấu cũng được)").FillAsync("643 cv du");
        await office.GetByLabel("Công văn", new() { Exact = true }).SelectOptionAsync("tat-ca");
        await office.GetByRole(AriaRole.Button, new() { Name = "Tìm" }).ClickAsync();
        await Assertions.Expect(office.GetByText("Đã kết thúc 10/02/2026")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(office, "16-danh-sach-tim-kiem");
        var search = office.Url;

        await using var officePhone = await browser.NewContextAsync(BrowserFixture.OfficePhone);
        var pocket = await officePhone.NewPageAsync();
        await pocket.GotoAsync(Url("office"));
        await BrowserFixture.SignInAsync(pocket, "vanphong");
        foreach (var (url, name) in new[] { (unitPage, "16-duong-dan-don-vi-dien-thoai"), (confirmPage, "16-dong-cong-van-dien-thoai"), (search, "16-danh-sach-tim-kiem-dien-thoai") })
        {
            await pocket.GotoAsync(url);
            await BrowserFixture.AssertFitsPhoneAsync(pocket);
            await BrowserFixture.ScreenshotAsync(pocket, name);
        }
    }
}
