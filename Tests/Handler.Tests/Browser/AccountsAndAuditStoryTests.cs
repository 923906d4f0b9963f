using System.Net.Http.Json;
using Microsoft.Playwright;
using OtpNet;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Browser;

/// <summary>
/// Accounts and the audit trail in a real headless Chromium: the first administrator (from the
/// deployment's settings) adds a clerk, who signs in on a phone with the temporary password,
/// chooses their own and turns on the second factor by scanning a QR code; a clerk opening the
/// Party Building Board's page is told why not; the Board looks a member up; the standing committee
/// reads the trail of what happened and finds it intact. Screenshots of each page, desktop and 360 px.
/// </summary>
public sealed class AccountsAndAuditStoryTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private const string AdminPassword = "mat-khau-quan-tri-dau-tien";
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Office:FirstAdministrator"] = "quantri",
            ["Office:FirstAdministratorPassword"] = AdminPassword,
        });
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
        await _app.AddAccountAsync("thuongtruc", OfficeRole.ThuongTruc);
        await _app.AddAccountAsync("bxdd", OfficeRole.BanXayDungDang);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    [Fact]
    public async Task The_first_administrator_adds_a_clerk_who_secures_their_account_on_a_phone_and_the_standing_committee_reads_an_intact_trail()
    {
        // The first administrator signs in with the deployment's settings and lands on the accounts.
        await using var desk = await browser.NewContextAsync(BrowserFixture.Desktop);
        var admin = await desk.NewPageAsync();
        await admin.GotoAsync(Url("office/login"));
        await admin.GetByLabel("Tên đăng nhập").FillAsync("quantri");
        await admin.GetByLabel("Mật khẩu").FillAsync(AdminPassword);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Tài khoản cán bộ", Level = 1 })).ToBeVisibleAsync();

        // It adds a clerk of the office: a temporary password, shown once.
        await admin.GetByLabel("Tên đăng nhập (chữ không dấu").FillAsync("nguyen.van.a");
        await admin.GetByLabel("Họ và tên, chức vụ").FillAsync("Nguyễn Văn A, chuyên viên Văn phòng");
        await admin.Locator("#new-van-phong").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Tạo tài khoản" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã tạo tài khoản nguyen.van.a");
        var temporary = await admin.Locator("code.secret").InnerTextAsync();
        await BrowserFixture.ScreenshotAsync(admin, "12-tai-khoan-can-bo");

        // The clerk signs in on a phone and must first choose a password of their own.
        await using var phoneContext = await browser.NewContextAsync(BrowserFixture.Phone);
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(Url("office"));
        await BrowserFixture.ScreenshotAsync(phone, "13-dang-nhap-dien-thoai");
        await phone.GetByLabel("Tên đăng nhập").FillAsync("nguyen.van.a");
        await phone.GetByLabel("Mật khẩu").FillAsync(temporary);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Alert)).ToContainTextAsync("mật khẩu tạm thời");
        await browser.AssertFitsPhoneAsync(Url("office/login"));
        await phone.GetByLabel("Mật khẩu hiện tại").FillAsync(temporary);
        await phone.GetByLabel("Mật khẩu mới (ít nhất").FillAsync("mat-khau-rieng-cua-a");
        await phone.GetByLabel("Nhập lại mật khẩu mới").FillAsync("mat-khau-rieng-cua-a");
        await BrowserFixture.ScreenshotAsync(phone, "14-doi-mat-khau-dien-thoai");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Đổi mật khẩu" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Công văn đang theo dõi" })).ToBeVisibleAsync();

        // It turns the second factor on: a QR code and the key as text, confirmed by a code.
        await phone.GotoAsync(Url("office/account"));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Bật xác thực hai lớp" }).ClickAsync();
        await Assertions.Expect(phone.Locator("figure.qr svg")).ToBeVisibleAsync();
        var secret = (await phone.Locator("code.secret").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(phone, "15-xac-thuc-hai-lop-dien-thoai");
        await phone.GetByLabel("2. Nhập mã 6 chữ số").FillAsync(new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp());
        await phone.GetByRole(AriaRole.Button, new() { Name = "Bật xác thực hai lớp" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã bật xác thực hai lớp");

        // The office's clerk may not open the Party Building Board's queue, and is told whose it is.
        await phone.GotoAsync(Url("office/error-reports"));
        await Assertions.Expect(phone.Locator("main")).ToContainTextAsync("Việc này dành cho: Ban Xây dựng Đảng");
        await BrowserFixture.ScreenshotAsync(phone, "16-khong-co-quyen-dien-thoai");

        // The Board looks a member up to answer their request (the reports are found by name, not address).
        using (var filed = await _office.Http.PostAsJsonAsync("api/error-reports", new { memberName = "Trần Văn Bình", unitName = "Chi bộ Văn phòng", field = "Ngày vào Đảng", correctValue = "03/02/2010", contact = "0912 000 111", consent = true }, Ct))
        {
            Assert.True(filed.IsSuccessStatusCode);
        }

        await using var boardContext = await browser.NewContextAsync(BrowserFixture.Desktop);
        var board = await boardContext.NewPageAsync();
        await board.GotoAsync(Url("office/member-data"));
        await BrowserFixture.SignInAsync(board, "bxdd");
        await board.GetByLabel("Họ và tên đảng viên").FillAsync("tran van binh");
        await board.GetByRole(AriaRole.Button, new() { Name = "Tìm phản ánh" }).ClickAsync();
        await Assertions.Expect(board.Locator("main")).ToContainTextAsync("1 phản ánh");
        await BrowserFixture.ScreenshotAsync(board, "17-du-lieu-dang-vien");

        // The standing committee reads the trail: who added whom, who changed what, who saw which report.
        await using var committee = await browser.NewContextAsync(BrowserFixture.Desktop);
        var reader = await committee.NewPageAsync();
        await reader.GotoAsync(Url("office/audit"));
        await BrowserFixture.SignInAsync(reader, "thuongtruc");
        await reader.GotoAsync(Url("office/audit"));
        var trail = reader.Locator("main");
        await Assertions.Expect(trail).ToContainTextAsync("Tạo tài khoản");
        await Assertions.Expect(trail).ToContainTextAsync("Bật xác thực hai lớp");
        await Assertions.Expect(trail).ToContainTextAsync("Xem thông tin cá nhân của đảng viên");
        await Assertions.Expect(trail).Not.ToContainTextAsync("Trần Văn Bình");
        await BrowserFixture.ScreenshotAsync(reader, "18-nhat-ky");
        await reader.GetByLabel("Người thực hiện").FillAsync("quantri");
        await reader.GetByRole(AriaRole.Button, new() { Name = "Xem" }).ClickAsync();
        await Assertions.Expect(trail).ToContainTextAsync("Vai trò: Văn phòng");
        await reader.GetByRole(AriaRole.Link, new() { Name = "Kiểm tra toàn vẹn" }).ClickAsync();
        await Assertions.Expect(reader.GetByRole(AriaRole.Status)).ToContainTextAsync("Nhật ký nguyên vẹn");
        await BrowserFixture.ScreenshotAsync(reader, "19-kiem-tra-nhat-ky");
    }
}
