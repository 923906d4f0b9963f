using Microsoft.Playwright;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Browser;

/// <summary>
/// The office keeps its units on the units page, in the real headless Chromium: adds a mass
/// organisation without a level (a wrong address first: the form keeps what was typed), finds it
/// without diacritics and by "no level", is stopped from moving a unit to the level of its sub-unit,
/// moves a cell, merges it, stops a unit, and reads each unit's history — on the desktop and on a
/// 360 px phone with JavaScript off. Screenshots don-vi-*.
/// </summary>
public sealed class UnitsStoryTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private HandlerApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        await new OfficeClient(_app.Start()).SeedUnitsAsync();
        await _app.AddAccountAsync("vanphong", OfficeRole.VanPhong);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    [Fact]
    public async Task The_office_adds_edits_moves_merges_and_stops_units_and_reads_their_history()
    {
        await using var desk = await browser.NewContextAsync(BrowserFixture.Desktop);
        var office = await desk.NewPageAsync();
        await office.GotoAsync(Url("office"));
        await BrowserFixture.SignInAsync(office, "vanphong");
        await office.GetByRole(AriaRole.Link, new() { Name = "Đơn vị", Exact = true }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "Đơn vị", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(office.Locator("ul.units > li")).ToHaveCountAsync(4);

        // A mass organisation, no level, two addresses — one of them mistyped first.
        await office.Locator("#them summary").ClickAsync();
        await office.Locator("#id").FillAsync("uy-ban-mttq");
        await office.Locator("#name").FillAsync("Ủy ban MTTQ phường Láng Hạ");
        await office.Locator("#kind").SelectOptionAsync("mass-organisation");
        await office.Locator("#parentId").SelectOptionAsync("dang-uy");
        await office.Locator("#emails").FillAsync("mttq@example.invalid\nchutich-mttq@@example");
        await office.Locator("#phone").FillAsync("024 3851 2345");
        await office.Locator("#contact").FillAsync("Đ/c Trần Thị C");
        await office.GetByRole(AriaRole.Button, new() { Name = "Thêm đơn vị" }).ClickAsync();
        await Assertions.Expect(office.Locator("#them [role=alert]")).ToContainTextAsync("Email: Địa chỉ email 'chutich-mttq@@example' không hợp lệ.");
        Assert.Equal("Ủy ban MTTQ phường Láng Hạ", await office.Locator("#name").InputValueAsync());
        Assert.Equal("mass-organisation", await office.Locator("#kind").InputValueAsync());
        Assert.Equal("dang-uy", await office.Locator("#parentId").InputValueAsync());
        await office.Locator("#emails").FillAsync("mttq@example.invalid\nchutich-mttq@example.invalid");
        await office.GetByRole(AriaRole.Button, new() { Name = "Thêm đơn vị" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã thêm đơn vị.");
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("Mặt trận, đoàn thể, hội · mã uy-ban-mttq");

        // Found without diacritics, and among the bodies without a level.
        await office.GotoAsync(Url("office/don-vi?q=lang+ha"));
        await Assertions.Expect(office.Locator("ul.units > li")).ToHaveCountAsync(1);
        await Assertions.Expect(office.Locator("ul.units")).ToContainTextAsync("mttq@example.invalid, chutich-mttq@example.invalid");
        await office.GotoAsync(Url("office/don-vi"));
        await office.Locator("#cap").SelectOptionAsync("khong");
        await office.GetByRole(AriaRole.Button, new() { Name = "Lọc" }).ClickAsync();
        await Assertions.Expect(office.Locator("ul.units > li")).ToHaveCountAsync(1);
        await office.GotoAsync(Url("office/don-vi"));
        await BrowserFixture.ScreenshotAsync(office, "don-vi-danh-sach");

        // A level-2 committee cannot go down to level 4: its cell is at level 4. The form keeps the choice.
        await office.GotoAsync(Url("office/don-vi/dang-bo-a"));
        await office.Locator("#level").SelectOptionAsync("4");
        await office.GetByRole(AriaRole.Button, new() { Name = "Lưu thay đổi" }).ClickAsync();
        await Assertions.Expect(office.Locator("#sua [role=alert]")).ToContainTextAsync("Không thể đặt đơn vị ở cấp 4: đơn vị trực thuộc 'Chi bộ Phòng Tổng hợp' đang ở cấp 4.");
        Assert.Equal("4", await office.Locator("#level").InputValueAsync());

        // The cell moves to the other committee, then is merged into it; the committee it left stops.
        await office.GotoAsync(Url("office/don-vi/chi-bo-a1"));
        await office.Locator("#parentId").SelectOptionAsync("chi-bo-b");
        await office.Locator("#contact").FillAsync("Đ/c Lê Văn D, Bí thư");
        await office.GetByRole(AriaRole.Button, new() { Name = "Lưu thay đổi" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã lưu thay đổi.");
        await office.Locator("#into").SelectOptionAsync("chi-bo-b");
        await office.GetByRole(AriaRole.Button, new() { Name = "Sáp nhập" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã sáp nhập.");
        var history = office.Locator("#lich-su");
        await Assertions.Expect(history.Locator("ul.units > li")).ToHaveCountAsync(3); // created (by the API), edited, merged
        await Assertions.Expect(history.Locator("ul.units > li").First).ToContainTextAsync("Sáp nhập");
        await Assertions.Expect(history).ToContainTextAsync("Đơn vị cấp trên: dang-bo-a → chi-bo-b");
        await Assertions.Expect(history).ToContainTextAsync("Cán bộ vanphong");
        await BrowserFixture.ScreenshotAsync(office, "don-vi-sap-nhap-lich-su");

        await office.GotoAsync(Url("office/don-vi/dang-bo-a"));
        await office.GetByRole(AriaRole.Button, new() { Name = "Ngừng hoạt động" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã cập nhật tình trạng hoạt động.");
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("Ngừng hoạt động");
        await Assertions.Expect(office.GetByRole(AriaRole.Button, new() { Name = "Cho hoạt động lại" })).ToBeVisibleAsync();

        // A list from a file: checked first, applied on confirmation; a line in error applies nothing.
        await CheckListAsync(office, "mã;tên;cấp;cấp trên;email;loại\ndoan-tn;Đoàn Thanh niên;;dang-uy;doan@example.invalid;Mặt trận, đoàn thể, hội\nchi-bo-moi;Chi bộ mới;4;dang-uy;khong-hop-le;\n");
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("Dòng 3 · chi-bo-moi · Có lỗi");
        await Assertions.Expect(office.GetByRole(AriaRole.Button, new() { Name = "Áp dụng danh sách" })).ToHaveCountAsync(0);
        await CheckListAsync(office, "mã;tên;cấp;cấp trên;email;loại\ndoan-tn;Đoàn Thanh niên;;dang-uy;doan@example.invalid;Mặt trận, đoàn thể, hội\n");
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("Dòng 2 · doan-tn · Thêm mới");
        await office.GetByRole(AriaRole.Button, new() { Name = "Áp dụng danh sách" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Status)).ToContainTextAsync("Đã nhập danh sách: 1 đơn vị thêm mới hoặc sửa.");
        await Assertions.Expect(office.GetByRole(AriaRole.Link, new() { Name = "Đoàn Thanh niên" })).ToBeVisibleAsync();

        // On a 360 px phone, JavaScript off: the list is cards, the add form opens, nothing scrolls sideways.
        await using var phoneContext = await browser.NewContextAsync(BrowserFixture.Phone);
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(Url("office/don-vi"));
        await BrowserFixture.SignInAsync(phone, "vanphong");
        await Assertions.Expect(phone.GetByRole(AriaRole.Link, new() { Name = "Ủy ban MTTQ phường Láng Hạ" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(phone, "don-vi-dien-thoai");
        await phone.GotoAsync(Url("office/don-vi/uy-ban-mttq"));
        await BrowserFixture.ScreenshotAsync(phone, "don-vi-sua-dien-thoai");
        await browser.AssertFitsPhoneAsync(Url("office/don-vi"), signInAs: "vanphong");
        await browser.AssertFitsPhoneAsync(Url("office/don-vi/chi-bo-b"), signInAs: "vanphong");
    }

    /// <summary>Uploads a unit list from the units page to be checked.</summary>
    private async Task CheckListAsync(IPage office, string csv)
    {
        await office.GotoAsync(Url("office/don-vi"));
        await office.Locator("#nhap summary").ClickAsync();
        await office.Locator("#tep").SetInputFilesAsync(new FilePayload { Name = "don-vi.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await office.GetByRole(AriaRole.Button, new() { Name = "Kiểm tra tệp" }).ClickAsync();
    }
}
