using Microsoft.Playwright;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Browser;

/// <summary>
/// A member reports wrong data from a phone (JavaScript off), after reading what the data is for and
/// agreeing, and follows it by its code; the Party Building Board works the report from its queue,
/// its menu showing only its own pages. Real handler, Azurite and headless Chromium.
/// </summary>
public sealed class ErrorReportStoryTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private HandlerApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        _app.Start().Dispose();
        await _app.AddAccountAsync("bxdd", ServerlessWorkflow.Domain.Accounts.OfficeRole.BanXayDungDang);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    [Fact]
    public async Task A_member_files_a_report_on_a_phone_the_office_takes_it_up_and_the_member_sees_the_new_status_by_code()
    {
        await using var phoneContext = await browser.NewContextAsync(BrowserFixture.Phone);
        var phone = await phoneContext.NewPageAsync();
        var form = await phone.GotoAsync(Url("bao-sai-sot"));
        Assert.True((await form!.BodyAsync()).Length < 30 * 1024, "The public form must stay under 30 KB.");
        await browser.AssertFitsPhoneAsync(Url("bao-sai-sot"));

        // A required field left empty: the browser itself asks for it (no script needed), nothing is sent.
        await phone.GetByRole(AriaRole.Button, new() { Name = "Gửi phản ánh" }).ClickAsync();
        Assert.EndsWith("/bao-sai-sot", phone.Url, StringComparison.Ordinal);

        await phone.GetByLabel("Họ và tên đảng viên").FillAsync("Nguyễn Văn An");
        await phone.GetByLabel("Chi bộ, đảng bộ nơi sinh hoạt").FillAsync("Chi bộ Phòng Tổng hợp");
        await phone.GetByLabel("Thông tin bị sai").FillAsync("Ngày sinh");
        await phone.GetByLabel("Thông tin đang ghi (sai)").FillAsync("01/01/1980");
        await phone.GetByLabel("Thông tin đúng").FillAsync("10/01/1980");
        await phone.GetByLabel("Số điện thoại hoặc email liên hệ").FillAsync("0912 345 678");

        // Without consent to the notice (purpose, who sees it, how long it is kept) the browser sends nothing.
        await Assertions.Expect(phone.Locator("#thong-bao")).ToContainTextAsync("Thời gian lưu: đến khi xử lý xong và thêm 180 ngày");
        await BrowserFixture.ScreenshotAsync(phone, "11-phan-anh-thong-bao-dien-thoai");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Gửi phản ánh" }).ClickAsync();
        Assert.EndsWith("/bao-sai-sot", phone.Url, StringComparison.Ordinal);
        await phone.GetByLabel("Tôi đồng ý").CheckAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Gửi phản ánh" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã nhận phản ánh");
        var code = (await phone.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync()).Split(':')[1].Trim();
        Assert.Matches("^[A-Z2-9]{8}$", code);
        await Assertions.Expect(phone.Locator("main")).ToContainTextAsync("Tình trạng: Mới tiếp nhận");
        await BrowserFixture.ScreenshotAsync(phone, "09-phan-anh-da-gui");

        // The office finds it in its queue and takes it up; rejecting without a reason is refused.
        await using var desk = await browser.NewContextAsync(BrowserFixture.Desktop);
        var office = await desk.NewPageAsync();
        await office.GotoAsync(Url("office/error-reports"));
        await BrowserFixture.SignInAsync(office, "bxdd");
        await Assertions.Expect(office.GetByRole(AriaRole.Navigation)).ToContainTextAsync("Dữ liệu đảng viên");
        await Assertions.Expect(office.GetByRole(AriaRole.Navigation)).Not.ToContainTextAsync("Tạo công văn");
        var report = office.Locator($"#r-{code}");
        await Assertions.Expect(report).ToContainTextAsync("Nguyễn Văn An");
        await Assertions.Expect(report).ToContainTextAsync("Ngày sinh: “01/01/1980” → đúng là “10/01/1980”");
        await report.GetByLabel("Chuyển sang").SelectOptionAsync("in-progress");
        await report.GetByRole(AriaRole.Button, new() { Name = "Cập nhật" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync($"Đã cập nhật phản ánh {code}");
        await Assertions.Expect(office.Locator($"#r-{code} h2")).ToContainTextAsync("Đang xử lý");

        await office.Locator($"#r-{code}").GetByLabel("Chuyển sang").SelectOptionAsync("rejected");
        await office.Locator($"#r-{code}").GetByRole(AriaRole.Button, new() { Name = "Cập nhật" }).ClickAsync();
        await Assertions.Expect(office.Locator($"#r-{code} [role=alert]")).ToContainTextAsync("Hãy ghi lý do không xử lý.");
        await BrowserFixture.ScreenshotAsync(office, "10-hang-doi-phan-anh");

        // The member looks the code up: the report is being handled.
        await phone.GotoAsync(Url("bao-sai-sot"));
        await phone.GetByLabel("Mã theo dõi").FillAsync(code.ToLowerInvariant());
        await phone.GetByRole(AriaRole.Button, new() { Name = "Xem kết quả" }).ClickAsync();
        await Assertions.Expect(phone.Locator("main")).ToContainTextAsync("Tình trạng: Đang xử lý");
    }
}
