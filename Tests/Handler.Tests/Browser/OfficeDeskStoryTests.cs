using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Tests.EndToEnd;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Browser;

/// <summary>
/// The office's desk in the real headless Chromium, on a fake clock (18/02/2026, the small story of
/// OfficeDeskTests): the clerk (văn phòng) opens a board's cell and downloads the file a unit sent,
/// ranks the units by lateness, opens one unit's record, and takes the report and the board's
/// workbook; the standing committee (thường trực) reads the same pages on a 360 px phone with
/// JavaScript off. Every desk page is then measured at 360 px: nothing scrolls sideways, lists keep
/// their key columns in view, and no text — chart labels included — is drawn under 12 px.
/// Screenshots 41–52 in .local/screenshots.
/// </summary>
public sealed class OfficeDeskStoryTests(StorageFixture storage, BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 5, 8, 0, 0, Vn));
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;
    private string _id = null!;
    private string _statistics = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), services: s => s.AddSingleton<TimeProvider>(_clock));
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
        await _app.AddAccountAsync("vanphong", OfficeRole.VanPhong);
        await _app.AddAccountAsync("thuongtruc", OfficeRole.ThuongTruc);
        var directive = await OfficeDesk.RegisterAsync(_office);
        _id = directive.GetProperty("id").GetString()!;
        var token = OfficeClient.TokenFor(directive, "chi-bo-a1");
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 9, 15, 0, 0, Vn));
        await OfficeDesk.PostAsync(_office, token, "t1", "in-progress", "Đang tổng hợp danh sách cán bộ quản trị của 12 chi bộ.");
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 12, 9, 0, 0, Vn));
        await OfficeDesk.PostAsync(_office, token, "t1", "done", "Đã gửi danh sách kèm theo.\nĐề nghị Văn phòng kiểm tra giúp.", ("Danh sách cán bộ quản trị.xlsx", [0x50, 0x4b, 3, 4, 20, 0]));
        await OfficeDesk.PostAsync(_office, OfficeClient.TokenFor(directive, "dang-bo-a"), "t1", "done", "Đã gửi");
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 18, 9, 0, 0, Vn));

        // A directive with a statistics task: its page draws a chart per row of the template.
        using var registered = await _office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "650-CV/ĐU",
            issuedOn = "2026-02-16",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Thống kê tổ chức đảng và tài khoản",
            tasks = new[] { new { title = "Báo cáo thống kê theo mẫu", kind = "statistics", deadline = "2026-03-10", units = new[] { "dang-bo-a", "chi-bo-b" } } },
        });
        _statistics = (await registered.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private string Url(string path) => new Uri(_app.BaseAddress, path).ToString();

    [Fact]
    public async Task The_clerk_opens_what_a_unit_sent_ranks_the_units_and_takes_the_report_and_the_standing_committee_reads_them_on_a_phone()
    {
        await using var desk = await browser.NewContextAsync(BrowserFixture.Desktop);
        var office = await desk.NewPageAsync();
        await office.GotoAsync(Url("office"));
        await BrowserFixture.SignInAsync(office, "vanphong");
        await Assertions.Expect(office.GetByRole(AriaRole.Link, new() { Name = "+ Tạo công văn mới" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(office, "41-cong-van");

        // The board: each cell opens what the unit sent.
        await office.GetByRole(AriaRole.Link, new() { Name = "643-CV/ĐU" }).ClickAsync();
        var row = office.Locator("table.matrix tbody tr", new() { Has = office.GetByRole(AriaRole.Rowheader, new() { Name = "Chi bộ Phòng Tổng hợp" }) });
        await row.GetByRole(AriaRole.Link, new() { Name = "Muộn 2 ngày làm việc" }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "Chi bộ Phòng Tổng hợp", Level = 1 })).ToBeVisibleAsync();
        var task = office.Locator("#task-t1");
        await Assertions.Expect(task).ToContainTextAsync("Hoàn thành muộn 2 ngày làm việc (lúc 09:00 12/02/2026)");
        await Assertions.Expect(task).ToContainTextAsync("2 lần gửi, mới nhất trước.");
        await Assertions.Expect(task.Locator("tbody tr").First).ToContainTextAsync("Sau hạn 2 ngày làm việc");
        await Assertions.Expect(task.Locator("tbody tr").First).ToContainTextAsync("Đề nghị Văn phòng kiểm tra giúp.");
        await Assertions.Expect(task.Locator("tbody tr").Nth(1)).ToContainTextAsync("15:00 09/02/2026");
        await Assertions.Expect(task.Locator("tbody tr").Nth(1)).ToContainTextAsync("Trong hạn");
        var file = await office.RunAndWaitForDownloadAsync(() => task.GetByRole(AriaRole.Link, new() { Name = "danh_sach_can_bo_quan_tri.xlsx" }).ClickAsync());
        Assert.Equal("danh_sach_can_bo_quan_tri.xlsx", file.SuggestedFilename);
        await BrowserFixture.ScreenshotAsync(office, "42-don-vi-da-gui");

        // The units, latest first; one unit's record across directives.
        await office.GetByRole(AriaRole.Link, new() { Name = "Kết quả đơn vị", Exact = true }).ClickAsync();
        await office.GetByLabel("Từ tháng").SelectOptionAsync("202602");
        await office.GetByLabel("Đến tháng").SelectOptionAsync("202602");
        await office.GetByRole(AriaRole.Button, new() { Name = "Xem", Exact = true }).ClickAsync();
        await Assertions.Expect(office.Locator("table.cards tbody tr").First.GetByRole(AriaRole.Rowheader)).ToContainTextAsync("Chi bộ Văn phòng");
        await Assertions.Expect(office.Locator("table.cards tbody tr").First).ToContainTextAsync("1 (3 ngày làm việc)");
        await BrowserFixture.ScreenshotAsync(office, "43-ket-qua-don-vi");
        await office.GetByRole(AriaRole.Link, new() { Name = "Chi bộ Văn phòng" }).ClickAsync();
        await Assertions.Expect(office.Locator("main")).ToContainTextAsync("Quá hạn 3 ngày làm việc");
        await BrowserFixture.ScreenshotAsync(office, "44-ket-qua-mot-don-vi");

        // The report for the standing committee: the page, its Word document, and the board's workbook.
        await office.GetByRole(AriaRole.Link, new() { Name = "Báo cáo", Exact = true }).ClickAsync();
        await Assertions.Expect(office.Locator(".doc")).ToContainTextAsync("Kết quả thực hiện các công văn có nhiệm vụ đến hạn");
        var docx = await office.RunAndWaitForDownloadAsync(() => office.GetByRole(AriaRole.Link, new() { Name = "Tải báo cáo (.docx)" }).ClickAsync());
        Assert.EndsWith(".docx", docx.SuggestedFilename, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(office, "45-bao-cao");
        await office.GotoAsync(Url($"office/directives/{_id}"));
        var xlsx = await office.RunAndWaitForDownloadAsync(() => office.GetByRole(AriaRole.Link, new() { Name = "Tải bảng theo dõi (.xlsx)" }).ClickAsync());
        Assert.Equal("theo-doi-643-cv-du.xlsx", xlsx.SuggestedFilename);

        // The standing committee, on a phone without JavaScript: it reads, it creates nothing.
        await using var phoneContext = await browser.NewContextAsync(BrowserFixture.Phone);
        var phone = await phoneContext.NewPageAsync();
        await phone.GotoAsync(Url("office"));
        await BrowserFixture.SignInAsync(phone, "thuongtruc");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Công văn đang theo dõi" })).ToBeVisibleAsync();
        Assert.Equal(0, await phone.GetByRole(AriaRole.Link, new() { Name = "+ Tạo công văn mới" }).CountAsync());
        var shots = new (string Path, string Name)[]
        {
            ("office", "46-cong-van-dien-thoai"),
            ($"office/directives/{_id}", "47-bang-theo-doi-dien-thoai"),
            ($"office/directives/{_id}/units/chi-bo-a1", "48-don-vi-da-gui-dien-thoai"),
            ("office/units?tu=202602&den=202602", "49-ket-qua-don-vi-dien-thoai"),
            ("office/units/chi-bo-b?tu=202602&den=202602", "50-ket-qua-mot-don-vi-dien-thoai"),
            ($"office/directives/{_id}/report", "51-bao-cao-dien-thoai"),
            ($"office/directives/{_statistics}/statistics", "52-so-lieu-dien-thoai"),
        };
        foreach (var (path, name) in shots)
        {
            var opened = await phone.GotoAsync(Url(path));
            Assert.Equal(200, opened!.Status);
            await BrowserFixture.ScreenshotAsync(phone, name);
        }

        // Measured at 360 px (JavaScript on only to measure): each page fits, its text and chart labels are at least 12 px.
        await using var measuring = await browser.NewContextAsync(BrowserFixture.OfficePhone);
        var measure = await measuring.NewPageAsync();
        await measure.GotoAsync(Url("office"));
        await BrowserFixture.SignInAsync(measure, "thuongtruc");
        foreach (var (path, _) in shots)
        {
            await measure.GotoAsync(Url(path));
            await BrowserFixture.AssertFitsPhoneAsync(measure);
            await BrowserFixture.AssertTextAtLeastAsync(measure, 12);
        }

        // The lists keep their key columns in view: the office's list as cards (the subject across the card,
        // not a word per line), the board's unit column fixed beside its first task.
        await measure.GotoAsync(Url("office"));
        var subject = await measure.Locator("td.subject").First.BoundingBoxAsync();
        var counts = await measure.Locator("td[data-label='Hoàn thành']").First.BoundingBoxAsync();
        Assert.True(subject!.Width >= 280 && subject.X + subject.Width <= 360, $"The subject is {subject.Width} px wide at x {subject.X}.");
        Assert.True(counts!.X + counts.Width <= 360 && counts.Y < 740, "The counts of the first directive are out of view.");
        await measure.GotoAsync(Url($"office/directives/{_id}"));
        var unitColumn = await measure.Locator("table.matrix tbody th[scope=row]").First.BoundingBoxAsync();
        var firstTask = await measure.Locator("table.matrix tbody td").First.BoundingBoxAsync();
        Assert.True(unitColumn!.X >= 0 && unitColumn.X + unitColumn.Width <= 200, $"The unit column is at x {unitColumn.X}, {unitColumn.Width} px wide.");
        Assert.True(firstTask!.X < 360 - 80, $"The first task's column starts at x {firstTask.X}: out of view.");
        var scrolledBy = await measure.Locator("table.matrix").EvaluateAsync<double>("t => { t.parentElement.scrollLeft = 1000; return t.parentElement.scrollLeft; }");
        var scrolled = await measure.Locator("table.matrix tbody th[scope=row]").First.BoundingBoxAsync();
        var lastTask = await measure.Locator("table.matrix tbody tr").First.Locator("td").Last.BoundingBoxAsync();
        Assert.True(scrolledBy > 0, "The board's tasks do not scroll beside the unit column.");
        Assert.True(Math.Abs(scrolled!.X - unitColumn.X) < 1, $"The unit column scrolled away (x {scrolled.X}, was {unitColumn.X}).");
        Assert.True(lastTask!.X + lastTask.Width <= 360 && lastTask.X >= scrolled.X + scrolled.Width - 1, "The last task's column does not come into view beside the unit column.");
        await measure.GotoAsync(Url($"office/directives/{_statistics}/statistics"));
        var content = await measure.Locator("table.figures td.subject").First.BoundingBoxAsync();
        Assert.True(content!.Width >= 280, $"A row of the figures is {content.Width} px wide: a word per line.");
        await measure.GotoAsync(Url("office/units?tu=202602&den=202602"));
        var late = await measure.Locator("table.cards tbody tr").First.Locator("td[data-label='Quá hạn chưa làm']").BoundingBoxAsync();
        Assert.True(late!.X + late.Width <= 360, "The overdue count of the latest unit is out of view.");
    }
}
