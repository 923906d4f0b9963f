using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// The office's desk end to end, on a fake clock: what a unit sent, opened from the board (every
/// version, its note, time and files, downloaded only as attachments and only by the office), each
/// unit's record across directives, sorted by lateness.
/// </summary>
public sealed class OfficeDeskTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 5, 8, 0, 0, Vn));
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), null, s => s.AddSingleton<TimeProvider>(_clock));
        _app.Start().Dispose();
        _office = new OfficeClient(Visitor.Client(_app.BaseAddress));
        await _office.SeedUnitsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _office.Http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_cell_opens_every_version_with_its_note_time_mark_and_files_which_download_only_as_attachments_with_safe_names()
    {
        var directive = await OfficeDesk.RegisterAsync(_office);
        var id = directive.GetProperty("id").GetString()!;
        var token = OfficeClient.TokenFor(directive, "dang-bo-a");
        await OfficeDesk.PostAsync(_office, token, "t1", "in-progress", "Đang lập danh sách");
        _clock.Advance(TimeSpan.FromHours(3));
        byte[] list = [0x50, 0x4b, 3, 4, 1, 2, 3];
        byte[] hostile = "<script>alert(1)</script>"u8.ToArray();
        await OfficeDesk.PostAsync(_office, token, "t1", "done", "Đã gửi danh sách\ncán bộ quản trị", ("Danh sách cán bộ quản trị.xlsx", list), ("../<script>x</script>.html", hostile));

        var page = await OfficeDesk.PageAsync(_office, $"office/directives/{id}/units/dang-bo-a");

        Assert.Contains("Đã gửi danh sách\ncán bộ quản trị", page, StringComparison.Ordinal);
        Assert.Contains("Đang lập danh sách", page, StringComparison.Ordinal);
        Assert.Contains("11:00 05/02/2026", page, StringComparison.Ordinal);
        Assert.Contains("08:00 05/02/2026", page, StringComparison.Ordinal);
        Assert.Contains("Hoàn thành đúng hạn lúc 11:00 05/02/2026", page, StringComparison.Ordinal);
        Assert.Contains(">danh_sach_can_bo_quan_tri.xlsx</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        var links = OfficeDesk.Links(page).Where(l => l.Contains("/files/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, links.Count);

        using var first = await _office.SendAsync(HttpMethod.Get, links[0].TrimStart('/'));
        using var second = await _office.SendAsync(HttpMethod.Get, links[1].TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("attachment", first.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("danh_sach_can_bo_quan_tri.xlsx", first.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("application/octet-stream", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(list, await first.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("script_.html", second.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("application/octet-stream", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", string.Join(",", second.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("sandbox", string.Join(",", second.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal(hostile, await second.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Files_and_the_cell_page_need_the_office_and_a_file_is_found_only_through_a_version_of_that_unit()
    {
        var directive = await OfficeDesk.RegisterAsync(_office);
        var id = directive.GetProperty("id").GetString()!;
        await OfficeDesk.PostAsync(_office, OfficeClient.TokenFor(directive, "dang-bo-a"), "t1", "done", "Có tệp", ("bao-cao.pdf", [1, 2, 3]));
        var file = OfficeDesk.Links(await OfficeDesk.PageAsync(_office, $"office/directives/{id}/units/dang-bo-a")).Single(l => l.Contains("/files/", StringComparison.Ordinal)).TrimStart('/');
        var version = file.Split('/')[^2];

        using var anonymous = await _office.SendAsync(HttpMethod.Get, file, key: null);
        using var wrongKey = await _office.SendAsync(HttpMethod.Get, file, key: "not-the-office-key-123");
        using var browser = await new Visitor().SendAsync(_office.Http, HttpMethod.Get, file);
        using var page = await _office.SendAsync(HttpMethod.Get, $"office/directives/{id}/units/dang-bo-a", key: null);
        using var otherUnit = await _office.SendAsync(HttpMethod.Get, $"office/directives/{id}/units/chi-bo-b/files/{version}/0");
        using var pastEnd = await _office.SendAsync(HttpMethod.Get, $"office/directives/{id}/units/dang-bo-a/files/{version}/1");
        using var notAVersion = await _office.SendAsync(HttpMethod.Get, $"office/directives/{id}/units/dang-bo-a/files/..%2F..%2Fx/0");
        using var notAssigned = await _office.SendAsync(HttpMethod.Get, $"office/directives/{id}/units/dang-uy");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, browser.StatusCode);
        Assert.Contains("/office/login", browser.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherUnit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, pastEnd.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAVersion.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notAssigned.StatusCode);
    }

    [Fact]
    public async Task The_units_page_puts_the_latest_unit_first_and_its_record_links_each_task_to_what_it_sent()
    {
        var id = (await OfficeDesk.PlayAsync(_office, _clock)).GetProperty("id").GetString()!;

        var units = await OfficeDesk.PageAsync(_office, "office/units?tu=202602&den=202602");
        var onlyLate = await OfficeDesk.PageAsync(_office, "office/units?tu=202602&den=202602&tre=1&sx=ten");
        var record = await OfficeDesk.PageAsync(_office, "office/units/chi-bo-b?tu=202602&den=202602");

        // Chi bộ Văn phòng: a task 3 working days overdue (8 calendar days, Tết 14–22/02 not counted); Chi bộ Phòng Tổng hợp: done 2 days late; Đảng bộ Sở Tài chính: 1 day late; the committee has no task.
        Assert.Equal(["Chi bộ Văn phòng", "Chi bộ Phòng Tổng hợp", "Đảng bộ Sở Tài chính", "Đảng ủy UBND tỉnh"], OfficeDesk.RowHeaders(units));
        Assert.Equal(["Chi bộ Phòng Tổng hợp", "Chi bộ Văn phòng", "Đảng bộ Sở Tài chính"], OfficeDesk.RowHeaders(onlyLate));
        Assert.Contains("1 (3 ngày làm việc)", units, StringComparison.Ordinal);
        Assert.Contains("Quá hạn 3 ngày làm việc", record, StringComparison.Ordinal);
        Assert.Contains("Chưa đến hạn", record, StringComparison.Ordinal);
        Assert.Contains($"/office/directives/{id}/units/chi-bo-b#task-t1", record, StringComparison.Ordinal);
        Assert.Contains("Gửi danh sách cán bộ quản trị", record, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_without_a_level_is_a_group_of_its_own_on_the_units_page_and_the_board_and_counts_in_no_level()
    {
        using (var put = await _office.SendAsync(HttpMethod.Put, "api/units/doan-tn", new { name = "Đoàn Thanh niên", kind = "mass-organisation", parentId = "dang-uy", email = "doan@example.invalid" }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(Ct));
        }

        var id = (await OfficeDesk.PlayAsync(_office, _clock, "doan-tn")).GetProperty("id").GetString()!;

        var others = await OfficeDesk.PageAsync(_office, "office/units?tu=202602&den=202602&cap=khac");
        var levelTwo = await OfficeDesk.PageAsync(_office, "office/units?tu=202602&den=202602&cap=2");
        var all = await OfficeDesk.PageAsync(_office, "office/units?tu=202602&den=202602&sx=cap");
        var board = await OfficeDesk.PageAsync(_office, $"office/directives/{id}");
        var boardOthers = await OfficeDesk.PageAsync(_office, $"office/directives/{id}?cap=khac");

        Assert.Equal(["Đoàn Thanh niên"], OfficeDesk.RowHeaders(others));
        Assert.Contains("Mặt trận, đoàn thể, hội", others, StringComparison.Ordinal);
        Assert.Contains("<option value=\"khac\" selected>Cơ quan, đoàn thể khác (không theo cấp)</option>", others, StringComparison.Ordinal);
        Assert.DoesNotContain("Đoàn Thanh niên", string.Join('|', OfficeDesk.RowHeaders(levelTwo)), StringComparison.Ordinal);
        Assert.Equal("Đoàn Thanh niên", OfficeDesk.RowHeaders(all)[^1]); // by level: the bodies without one after the four levels
        Assert.Equal(["Đoàn Thanh niên"], OfficeDesk.RowHeaders(boardOthers));
        Assert.Contains("<tr><th colspan=\"5\">Không theo cấp</th></tr>", board, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_period_outside_the_directives_shows_no_tasks_and_a_reversed_period_is_explained_keeping_the_months_chosen()
    {
        await OfficeDesk.PlayAsync(_office, _clock);

        var empty = await OfficeDesk.PageAsync(_office, "office/units?tu=202501&den=202512");
        using var reversed = await new OfficeClient(_office.Http).SendAsync(HttpMethod.Get, "office/units?tu=202603&den=202602");
        var html = await reversed.Content.ReadAsStringAsync(Ct);

        Assert.DoesNotContain("ngày làm việc)", empty, StringComparison.Ordinal);
        Assert.Contains("Đến tháng: Tháng kết thúc phải từ tháng bắt đầu trở đi.", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"202603\" selected>Tháng 03/2026</option>", html.Split("id=\"den\"")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unit_renamed_on_another_instance_shows_on_the_board_once_the_kept_tree_is_checked_and_at_once_when_renamed_here()
    {
        var id = (await OfficeDesk.RegisterAsync(_office)).GetProperty("id").GetString()!;
        Assert.Contains(">Chi bộ Văn phòng<", await OfficeDesk.PageAsync(_office, $"office/directives/{id}"), StringComparison.Ordinal);

        await using var other = new HandlerApp(storage.ConnectionString, _app.Prefix);
        await new OfficeClient(other.Start()).PutUnitAsync("chi-bo-b", "Chi bộ Văn phòng Tỉnh ủy", 2, "dang-uy");
        var kept = await OfficeDesk.PageAsync(_office, $"office/directives/{id}");
        _clock.Advance(TimeSpan.FromSeconds(31));
        var checkedAgain = await OfficeDesk.PageAsync(_office, $"office/directives/{id}");
        await _office.PutUnitAsync("chi-bo-b", "Chi bộ Văn phòng (đổi tên tại đây)", 2, "dang-uy");
        var renamedHere = await OfficeDesk.PageAsync(_office, $"office/directives/{id}");

        Assert.Contains(">Chi bộ Văn phòng<", kept, StringComparison.Ordinal);
        Assert.DoesNotContain("Tỉnh ủy<", kept, StringComparison.Ordinal);
        Assert.Contains(">Chi bộ Văn phòng Tỉnh ủy<", checkedAgain, StringComparison.Ordinal);
        Assert.Contains(">Chi bộ Văn phòng (đổi tên tại đây)<", renamedHere, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_calendar_change_that_moves_a_deadline_in_working_days_into_another_month_moves_it_in_the_units_records()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 20, 9, 0, 0, Vn));
        using (var registered = await _office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "70-CV/ĐU",
            issuedOn = "2026-02-20",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Rà soát tài khoản",
            tasks = new[] { new { title = "Báo cáo kết quả rà soát", kind = "confirmation", workingDays = 5, countFrom = "2026-02-23", units = new[] { "chi-bo-b" } } },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var desk = _app.Services.GetRequiredService<ServerlessWorkflow.Domain.Progress.OfficeDesk>();
        var tree = await _app.Services.GetRequiredService<ServerlessWorkflow.Domain.Units.UnitRegistry>().TreeAsync(Ct);
        var february = new ServerlessWorkflow.Domain.Progress.Period(new(2026, 2), new(2026, 2));
        var march = new ServerlessWorkflow.Domain.Progress.Period(new(2026, 3), new(2026, 3));
        async Task<ServerlessWorkflow.Domain.Progress.UnitRecord> RecordAsync(ServerlessWorkflow.Domain.Progress.Period period) =>
            (await desk.UnitsAsync(period, tree, Ct)).Single(u => u.UnitId.Value == "chi-bo-b").Record;

        // 24–27/02 and 02/03: due at the end of 02/03, in March.
        Assert.Equal((0, 1), ((await RecordAsync(february)).Assigned, (await RecordAsync(march)).Pending));

        // Saturday 28/02 made a working day: the fifth day is 28/02, in February.
        using (var put = await _office.SendAsync(HttpMethod.Put, "api/calendar/2026", new { overrides = new[] { new { date = "2026-02-28", change = "working-day", reason = "Làm bù" } } }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 9, 0, 0, Vn));
        var feb = await RecordAsync(february);
        Assert.Equal((1, 1, 1), (feb.Assigned, feb.Overdue, feb.DaysOverdue)); // 02/03: 1 working day after 28/02
        Assert.Equal(0, (await RecordAsync(march)).Assigned);
    }
}

/// <summary>The small story the desk's tests share: a directive of two tasks, posts on a fake clock, and reading pages as the office.</summary>
internal static partial class OfficeDesk
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>643-CV/ĐU: t1 due 10/02/2026 for Sở Tài chính, Văn phòng and Phòng Tổng hợp; t2 due 15/02/2026 for Sở Tài chính; t3 due 25/02/2026 for Sở Tài chính and Văn phòng.</summary>
    public static async Task<JsonElement> RegisterAsync(OfficeClient office, params string[] moreOnLastTask)
    {
        using var response = await office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "643-CV/ĐU",
            issuedOn = "2026-02-05",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Triển khai dịch vụ công của Đảng",
            tasks = new object[]
            {
                new { title = "Gửi danh sách cán bộ quản trị", kind = "confirmation", deadline = "2026-02-10", units = new[] { "dang-bo-a", "chi-bo-b", "chi-bo-a1" } },
                new { title = "Rà soát tài khoản đảng viên", kind = "confirmation", deadline = "2026-02-15", units = new[] { "dang-bo-a" } },
                new { title = "Mở tài khoản đảng phí", kind = "confirmation", deadline = "2026-02-25", units = (string[])["dang-bo-a", "chi-bo-b", .. moreOnLastTask] },
            },
        });
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// The directive, then: Sở Tài chính completes t1 on 06/02 (on time); Văn phòng says t1 is in
    /// progress on 08/02 and nothing more; Phòng Tổng hợp completes t1 on 12/02 (2 days late); Sở Tài
    /// chính completes t2 on 16/02 (1 day late). The clock stops at 18/02/2026 09:00: t1 is 8 days
    /// overdue for Văn phòng (3 working days: Tết 14–22/02 is not counted), t3 not yet due.
    /// </summary>
    public static async Task<JsonElement> PlayAsync(OfficeClient office, FakeTimeProvider clock, params string[] moreOnLastTask)
    {
        var directive = await RegisterAsync(office, moreOnLastTask);
        string Token(string unit) => OfficeClient.TokenFor(directive, unit);
        clock.SetUtcNow(new DateTimeOffset(2026, 2, 6, 9, 0, 0, TimeSpan.FromHours(7)));
        await PostAsync(office, Token("dang-bo-a"), "t1", "done", "Đã gửi");
        clock.SetUtcNow(new DateTimeOffset(2026, 2, 8, 9, 0, 0, TimeSpan.FromHours(7)));
        await PostAsync(office, Token("chi-bo-b"), "t1", "in-progress", "Đang làm");
        clock.SetUtcNow(new DateTimeOffset(2026, 2, 12, 9, 0, 0, TimeSpan.FromHours(7)));
        await PostAsync(office, Token("chi-bo-a1"), "t1", "done", "Xong, hơi muộn");
        clock.SetUtcNow(new DateTimeOffset(2026, 2, 16, 9, 0, 0, TimeSpan.FromHours(7)));
        await PostAsync(office, Token("dang-bo-a"), "t2", "done", "Đã rà soát");
        clock.SetUtcNow(new DateTimeOffset(2026, 2, 18, 9, 0, 0, TimeSpan.FromHours(7)));
        return directive;
    }

    /// <summary>A unit's post as a program sends it: multipart, with files when given.</summary>
    public static async Task PostAsync(OfficeClient office, string token, string task, string status, string note, params (string Name, byte[] Content)[] files)
    {
        using var content = new MultipartFormDataContent { { new StringContent(status), "status" }, { new StringContent(note), "note" } };
        foreach (var (name, bytes) in files)
        {
            content.Add(new ByteArrayContent(bytes), "files", name);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{token}/tasks/{task}", UriKind.Relative)) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await office.Http.SendAsync(request, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>An office page as the office's key reads it, asking for HTML; it must answer 200.</summary>
    public static async Task<string> PageAsync(OfficeClient office, string path)
    {
        using var request = OfficeClient.Request(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await office.Http.SendAsync(request, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
        return WebUtility.HtmlDecode(html);
    }

    public static IEnumerable<string> Links(string html) => Href().Matches(html).Select(m => m.Groups[1].Value);

    /// <summary>The first line of each row header (the unit's name), in the page's order.</summary>
    public static List<string> RowHeaders(string html) => RowHeader().Matches(html).Select(m => m.Groups[1].Value.Trim()).ToList();

    [System.Text.RegularExpressions.GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex Href();

    [System.Text.RegularExpressions.GeneratedRegex("<th scope=\"row\">(?:<a [^>]*>)?([^<]+)")]
    private static partial System.Text.RegularExpressions.Regex RowHeader();
}
