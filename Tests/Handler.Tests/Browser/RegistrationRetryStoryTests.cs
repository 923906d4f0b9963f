using Microsoft.Playwright;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Browser;

/// <summary>
/// The office presses "Tạo công văn" twice in a row, in the real headless Chromium on the desktop
/// and on the office's 360 px phone: both presses reach the handler, one directive is
/// created and its board is shown. Then it types a number already used this year, written another
/// way: the form names the directive that carries it, with a link, and creates only on a second
/// press. Screenshots 40–43.
/// </summary>
public sealed class RegistrationRetryStoryTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private readonly TableFaults _storage = new();
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), services: _storage.AddTo);
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
        await _app.AddAccountAsync("vanphong", ServerlessWorkflow.Domain.Accounts.OfficeRole.VanPhong);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    [Fact]
    public async Task A_double_press_creates_one_directive_and_a_number_already_used_is_named_before_a_second_press()
    {
        await StoryAsync(BrowserFixture.Desktop, "may-tinh", "100-CV/ĐU", "100 - cv/đu");
        await StoryAsync(BrowserFixture.OfficePhone, "dien-thoai", "200-CV/ĐU", "200–CV/DU");
    }

    private async Task StoryAsync(BrowserNewContextOptions device, string suffix, string number, string sameNumber)
    {
        await using var context = await browser.NewContextAsync(device);
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url("office/directives/new"));
        await BrowserFixture.SignInAsync(page, "vanphong");
        await FillAsync(page, number, "Mở tài khoản ngân hàng đứng tên tổ chức đảng");

        var posts = 0;
        page.Request += (_, r) => posts += r.Method == "POST" && r.Url.EndsWith("/office/directives/new", StringComparison.Ordinal) ? 1 : 0;
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Tạo công văn", Exact = true });
        // Two presses, the second while the first is still being answered (storage slowed down so it is).
        await create.ScrollIntoViewIfNeededAsync();
        var box = (await create.BoundingBoxAsync())!;
        _storage.SlowWrites = TimeSpan.FromMilliseconds(150);
        await page.Mouse.ClickAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await Task.Delay(400, TestContext.Current.CancellationToken);
        await page.Mouse.ClickAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã tạo công văn");
        _storage.SlowWrites = TimeSpan.Zero;
        Assert.Equal(2, posts);
        Assert.Single(await NumbersAsync(), n => n == number);
        var board = new Uri(page.Url).AbsolutePath;
        await BrowserFixture.ScreenshotAsync(page, $"40-bam-hai-lan-{suffix}");

        // The same number written another way, the same year: named, with a link, and nothing created.
        await page.GotoAsync(Url("office/directives/new"));
        await FillAsync(page, sameNumber, "Báo cáo kết quả rà soát");
        await create.ClickAsync();
        var warning = page.Locator("#same-number");
        await Assertions.Expect(warning).ToContainTextAsync($"Số công văn “{sameNumber}” đã có:");
        await Assertions.Expect(warning.GetByRole(AriaRole.Link, new() { Name = $"Công văn số {number} ngày 05/03/2026" })).ToHaveAttributeAsync("href", board);
        await Assertions.Expect(warning).ToContainTextAsync("“Triển khai dịch vụ công của Đảng”");
        Assert.Equal(sameNumber, await page.GetByLabel("Số công văn").InputValueAsync());
        Assert.Single(await NumbersAsync(), n => n == number);
        await BrowserFixture.ScreenshotAsync(page, $"41-so-da-co-{suffix}");
        if (device.ViewportSize!.Width == 360)
        {
            await BrowserFixture.AssertFitsPhoneAsync(page);
        }

        // Pressed again: created.
        await create.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã tạo công văn");
        Assert.Single(await NumbersAsync(), n => n == sameNumber);
    }

    private static async Task FillAsync(IPage page, string number, string task)
    {
        await page.GetByLabel("Số công văn").FillAsync(number);
        await page.GetByLabel("Ngày ban hành (ngày/tháng/năm)").FillAsync("05/03/2026");
        await page.GetByLabel("Trích yếu").FillAsync("Triển khai dịch vụ công của Đảng");
        await page.Locator("#t0-title").FillAsync(task);
        await page.Locator("#t0-deadline").FillAsync("31/12/2099");
        await page.Locator("#t0-units").SelectOptionAsync(["chi-bo-b"]);
    }

    private async Task<List<string>> NumbersAsync()
    {
        using var response = await _office.SendAsync(HttpMethod.Get, "api/directives");
        var list = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        return list.EnumerateArray().Select(d => d.GetProperty("number").GetString()!).ToList();
    }
}
