using Microsoft.Playwright;
using ServerlessWorkflow.Tests.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Browser;

/// <summary>
/// A dispatch with its own report template, in a real headless Chromium: the office attaches the
/// blank file to a statistics task and sees the table it was read as, chooses the rules, is warned
/// that it assigned a unit and a unit under it, and creates the directive; a unit on a phone
/// downloads the blank template, sends a wrong file, and downloads it back annotated; the office sees
/// the totals and sends a file for the unit that emailed it. Screenshots in .local/screenshots.
/// </summary>
public sealed class TemplateStoryTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
        await _app.AddAccountAsync("vanphong", ServerlessWorkflow.Domain.Accounts.OfficeRole.VanPhong);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    [Fact]
    public async Task The_office_registers_a_task_on_its_own_template_a_unit_gets_its_wrong_file_back_annotated_and_the_office_sends_a_file_for_another()
    {
        await using var desk = await browser.NewContextAsync(BrowserFixture.Desktop);
        var office = await desk.NewPageAsync();
        await office.GotoAsync(Url("office/directives/new"));
        await BrowserFixture.SignInAsync(office, "vanphong");

        // The office attaches the dispatch's blank template to the task and reads it.
        await office.GetByLabel("Số công văn").FillAsync("12-CV/ĐU");
        await office.GetByLabel("Ngày ban hành (ngày/tháng/năm)").FillAsync("02/03/2026");
        await office.GetByLabel("Trích yếu").FillAsync("Báo cáo biến động đảng viên");
        await office.Locator("#t0-title").FillAsync("Gửi báo cáo biến động đảng viên theo mẫu");
        await office.Locator("#t0-kind").SelectOptionAsync("statistics");
        await office.Locator("#t0-deadline").FillAsync("31/12/2099");
        await office.Locator("#t0-units").SelectOptionAsync(["dang-bo-a", "chi-bo-b", "chi-bo-a1"]);
        await office.GetByText("Nếu là báo cáo thống kê: mẫu báo cáo và quy tắc kiểm tra").First.ClickAsync(); // a closed section: no script opens it
        await office.Locator("#t0-file").SetInputFilesAsync(Repository.Fixture("templates", TemplateFixtures.B + ".xlsx"));
        await office.GetByRole(AriaRole.Button, new() { Name = "Đọc mẫu" }).First.ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã đọc mẫu báo cáo");
        var preview = office.Locator("fieldset").First.Locator(".preview");
        await Assertions.Expect(preview).ToContainTextAsync("6 dòng × 4 cột, 23 ô cần điền");
        await Assertions.Expect(preview.Locator("thead")).ToContainTextAsync("Năm 2025 – Nam");
        Assert.Equal("12-CV/ĐU", await office.GetByLabel("Số công văn").InputValueAsync()); // what was typed is kept

        // The rules: the cells must all be filled, and row 2 (among them, youth union members) may not exceed row 1.
        await office.Locator("#t0-blanks").SelectOptionAsync("required");
        await office.Locator("select[name='tasks[0].bounds[0].row']").SelectOptionAsync("2");
        await office.Locator("select[name='tasks[0].bounds[0].max']").SelectOptionAsync("1");
        await BrowserFixture.ScreenshotAsync(office, "21-tao-cong-van-mau-rieng");

        // Creating: warned once that a cell under Đảng bộ Sở Tài chính is assigned too, then created.
        await office.GetByRole(AriaRole.Button, new() { Name = "Tạo công văn", Exact = true }).ClickAsync();
        await Assertions.Expect(office.Locator("div.warn")).ToContainTextAsync("“Chi bộ Phòng Tổng hợp” thuộc “Đảng bộ Sở Tài chính”");
        await office.GetByRole(AriaRole.Button, new() { Name = "Tạo công văn", Exact = true }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã tạo công văn");
        var link = await office.GetByLabel("Đường dẫn của Chi bộ Văn phòng").InputValueAsync();
        var board = office.Url.Split('?')[0];

        // The unit, on a phone: the blank template to fill, then a wrong file, refused with each error and offered back annotated.
        await using var phoneContext = await browser.NewContextAsync(BrowserFixture.Phone);
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(link);
        var blank = await phone.RunAndWaitForDownloadAsync(() => phone.GetByRole(AriaRole.Link, new() { Name = "Tải mẫu báo cáo" }).ClickAsync());
        Assert.Equal(TemplateFixtures.File(TemplateFixtures.B), await File.ReadAllBytesAsync((await blank.PathAsync())!, Ct));
        await phone.GetByLabel("Tệp Excel (.xlsx) theo mẫu kèm công văn").SetInputFilesAsync(Repository.Fixture("templates", "mau-b-sai.xlsx"));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Tải bảng thống kê lên" }).ClickAsync();
        await Assertions.Expect(phone.Locator("main")).ToContainTextAsync("đang xử lý"); // the upload's page has come back: the blob is there to import and nothing is navigating
        await ImportUploadsAsync();
        await phone.ReloadAsync();
        await Assertions.Expect(phone.Locator("main")).ToContainTextAsync("Ô C8: 9 lớn hơn đảng viên mới kết nạp ở ô C7 (5)");
        await Assertions.Expect(phone.Locator("main")).ToContainTextAsync("Ô D9: chưa điền số liệu");
        var annotated = await phone.RunAndWaitForDownloadAsync(() => phone.GetByRole(AriaRole.Link, new() { Name = "Tải lại tệp này với các ô cần sửa được tô màu và ghi chú" }).ClickAsync());
        Assert.Equal(["C8", "D9", "E11"], AnnotatedWorkbook.Comments(await File.ReadAllBytesAsync((await annotated.PathAsync())!, Ct)).Keys.Order(StringComparer.Ordinal));
        await browser.AssertFitsPhoneAsync(link);
        await BrowserFixture.ScreenshotAsync(phone, "22-don-vi-tep-bi-tu-choi");

        // The office: the statistics page with the template's table; it sends the file Đảng bộ Sở Tài chính emailed.
        await office.GotoAsync(board);
        await office.GetByRole(AriaRole.Link, new() { Name = "Xem tổng hợp số liệu" }).ClickAsync();
        await Assertions.Expect(office.Locator("table.figures thead").First).ToContainTextAsync("Năm 2026 – Nữ");
        await office.GetByLabel("Đơn vị", new() { Exact = true }).SelectOptionAsync("dang-bo-a");
        await office.GetByLabel("Tệp Excel (.xlsx) đơn vị đã gửi").SetInputFilesAsync(Repository.Fixture("templates", "mau-b-dung.xlsx"));
        await office.GetByRole(AriaRole.Button, new() { Name = "Gửi thay đơn vị" }).ClickAsync();
        await Assertions.Expect(office.Locator("#unit-dang-bo-a")).ToContainTextAsync("Đã nhận tệp văn phòng gửi thay đơn vị");
        await ImportUploadsAsync();
        await office.ReloadAsync();
        await Assertions.Expect(office.Locator("#unit-dang-bo-a")).ToContainTextAsync("văn phòng gửi thay");
        await Assertions.Expect(office.Locator("#unit-dang-bo-a")).Not.ToContainTextAsync("kết quả kiểm tra hiện ở đây sau ít giây"); // checked: its outcome is shown instead
        await Assertions.Expect(office.Locator("table.figures tbody tr").First.Locator("td.num").First).ToHaveTextAsync("5");
        await BrowserFixture.ScreenshotAsync(office, "23-so-lieu-mau-rieng");
        await office.SetViewportSizeAsync(360, 740);
        await BrowserFixture.ScreenshotAsync(office, "24-so-lieu-mau-rieng-dien-thoai");
        await office.GotoAsync(Url("office/directives/new"));
        await BrowserFixture.ScreenshotAsync(office, "25-tao-cong-van-dien-thoai");
    }

    /// <summary>Invokes ImportStatistics for every uploaded blob, as the Functions host does on its blob trigger (a blob already imported changes nothing).</summary>
    private Task ImportUploadsAsync() => StatisticsImports.ImportAllAsync(_office.Http, StatisticsImports.Uploads(storage.ConnectionString, _app.Prefix));
}
