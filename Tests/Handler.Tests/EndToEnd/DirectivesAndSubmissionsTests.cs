using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>Directives, unit links, unit pages and submissions, against the running handler and Azurite.</summary>
public sealed class DirectivesAndSubmissionsTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly HandlerApp _app = new(storage.ConnectionString, StorageFixture.NewPrefix());
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Registering_a_directive_answers_201_with_task_ids_deadlines_and_one_link_per_assigned_unit()
    {
        var registered = await _office.RegisterAsync("Trước ngày 26/02/2026", "dang-bo-a/*", "chi-bo-b");

        Assert.StartsWith("d", registered.GetProperty("id").GetString(), StringComparison.Ordinal);
        var task = Assert.Single(registered.GetProperty("tasks").EnumerateArray());
        Assert.Equal("t1", task.GetProperty("id").GetString());
        Assert.Equal("confirmation", task.GetProperty("kind").GetString());
        Assert.Equal("2026-02-25", task.GetProperty("deadline").GetString());
        Assert.Equal(["chi-bo-a1", "chi-bo-b", "dang-bo-a"], registered.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("unitId").GetString()).Order());
        Assert.All(registered.GetProperty("links").EnumerateArray(), l => Assert.Contains("/u/", l.GetProperty("url").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fifty_tasks_whose_titles_are_whole_dispatch_items_are_stored_and_read_back_as_written()
    {
        // A dispatch item as suggested from pasted text: Vietnamese, up to the longest title a task takes.
        const string item = "Nghiên cứu triển khai việc trang bị, cấu hình chữ ký số điện tử trên hệ thống đối với các trường hợp đủ điều kiện để thực hiện xử lý hồ sơ theo quy định; phối hợp với các đơn vị liên quan hướng dẫn, hỗ trợ trong quá trình thực hiện, góp phần nâng cao hiệu quả xử lý công việc trên môi trường điện tử và từng bước chuẩn hóa quy trình nghiệp vụ của Đảng ủy phường";
        var title = item + new string('.', ServerlessWorkflow.Domain.Directives.DirectiveRegistration.MaxTitleLength - item.Length - 3) + " ủy";
        var tasks = Enumerable.Range(1, ServerlessWorkflow.Domain.Directives.DirectiveRegistration.MaxTasks)
            .Select(i => new { title = $"{i:00} {title}"[..title.Length], kind = "confirmation", deadline = "2099-12-31", units = new[] { "chi-bo-b" } })
            .ToArray();

        using var created = await _office.SendAsync(HttpMethod.Post, "api/directives", new { number = "1-CV/ĐU", issuedOn = "2026-02-05", issuer = "Đảng ủy phường Đống Đa", subject = "Nhiều nhiệm vụ", tasks });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString();
        using var read = await _office.SendAsync(HttpMethod.Get, $"api/directives/{id}");

        var stored = (await read.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("title").GetString()).ToList();
        Assert.Equal(tasks.Select(t => t.title), stored);
    }

    [Fact]
    public async Task An_invalid_directive_gets_every_field_error_with_its_path_and_nothing_is_stored()
    {
        using var response = await _office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "",
            issuedOn = "2026-02-30",
            issuer = "x",
            subject = "y",
            tasks = new object[] { new { title = 42, kind = "other", deadline = "someday", units = new[] { "nobody" } } },
        });
        using var list = await _office.SendAsync(HttpMethod.Get, "api/directives");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(
            ["issuedOn", "number", "tasks[0].deadline", "tasks[0].kind", "tasks[0].units[0]"],
            problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("[]", await list.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_directive_that_is_not_json_gets_415_and_malformed_json_400()
    {
        using var form = OfficeClient.Request(HttpMethod.Post, "api/directives");
        form.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["number"] = "1" });
        using var broken = OfficeClient.Request(HttpMethod.Post, "api/directives");
        broken.Content = new StringContent("{\"number\": ", Encoding.UTF8, "application/json");

        using var formResponse = await _office.Http.SendAsync(form, Ct);
        using var brokenResponse = await _office.Http.SendAsync(broken, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, formResponse.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, brokenResponse.StatusCode);
    }

    [Fact]
    public async Task The_unit_page_shows_its_task_deadline_in_dd_MM_yyyy_days_left_and_a_form_in_under_30_KB()
    {
        var deadline = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var registered = await _office.RegisterAsync(deadline);
        var token = OfficeClient.TokenFor(registered, "chi-bo-b");

        using var page = await _office.Http.GetAsync(new Uri($"u/{token}", UriKind.Relative), Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Gửi danh sách cán bộ quản trị", html, StringComparison.Ordinal);
        Assert.Contains("Chi bộ Văn phòng", html, StringComparison.Ordinal);
        Assert.Contains(DateOnly.ParseExact(deadline, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        var left = new DayCount(DayUnit.WorkingDays, WorkingCalendar.Default).DaysLeft(Deadline.EndOfDay(DateOnly.ParseExact(deadline, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), DateTimeOffset.UtcNow);
        Assert.Contains($"còn {left} ngày làm việc", html, StringComparison.Ordinal); // 10 calendar days, counted in working days (issue 19)
        Assert.Contains($"action=\"/u/{token}/tasks/t1\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.True(Encoding.UTF8.GetByteCount(html) < 30 * 1024, $"{Encoding.UTF8.GetByteCount(html)} bytes");
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_tampered_and_malformed_links_all_get_the_same_404()
    {
        var registered = await _office.RegisterAsync();
        var token = OfficeClient.TokenFor(registered, "chi-bo-b");
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

        var bodies = new List<string>();
        foreach (var candidate in new[] { tampered, "not-a-token", token + "x", "a.b" })
        {
            using var response = await _office.Http.GetAsync(new Uri($"u/{Uri.EscapeDataString(candidate)}", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync(Ct));
        }

        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task A_json_submission_is_stored_once_per_idempotency_key_and_shows_as_on_time_in_the_directive()
    {
        var registered = await _office.RegisterAsync();
        var token = OfficeClient.TokenFor(registered, "dang-bo-a");

        using var first = await SubmitJsonAsync(token, new { status = "done", note = "Đã gửi danh sách" }, "key-1");
        using var again = await SubmitJsonAsync(token, new { status = "done", note = "Đã gửi danh sách" }, "key-1");
        var directive = await GetDirectiveAsync(registered);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var b = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(a.GetProperty("versionId").GetString(), b.GetProperty("versionId").GetString());
        var unit = UnitState(directive, "dang-bo-a");
        Assert.Equal("submitted-on-time", unit.GetProperty("state").GetString());
        Assert.Equal(1, unit.GetProperty("versions").GetInt32());
        Assert.Equal("pending", UnitState(directive, "chi-bo-b").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Ten_identical_posts_at_once_store_one_version()
    {
        var registered = await _office.RegisterAsync();
        var token = OfficeClient.TokenFor(registered, "dang-bo-a");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => SubmitJsonAsync(token, new { status = "in-progress", note = "Đang tổng hợp" }, null)));
        var directive = await GetDirectiveAsync(registered);

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        Assert.Equal(1, UnitState(directive, "dang-bo-a").GetProperty("versions").GetInt32());
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task A_browser_form_post_redirects_to_the_page_which_confirms_it_and_lists_the_history()
    {
        var registered = await _office.RegisterAsync();
        var token = OfficeClient.TokenFor(registered, "chi-bo-b");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{token}/tasks/t1", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "done", ["note"] = "<b>đã xong</b>" }),
        };
        request.Headers.Accept.ParseAdd("text/html");

        using var posted = await SendWithoutRedirectAsync(request);
        using var page = await _office.Http.GetAsync(new Uri(posted.Headers.Location!.OriginalString.TrimStart('/'), UriKind.Relative), Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.StartsWith($"/u/{token}?ok=t1", posted.Headers.Location.OriginalString, StringComparison.Ordinal);
        Assert.Contains("Đã ghi nhận báo cáo", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;đã xong&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("đã hoàn thành đúng hạn", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_multipart_post_keeps_its_attached_file_as_a_server_named_blob()
    {
        var registered = await _office.RegisterAsync();
        var token = OfficeClient.TokenFor(registered, "chi-bo-b");
        using var content = new MultipartFormDataContent
        {
            { new StringContent("done"), "status" },
            { new StringContent("Danh sách đính kèm"), "note" },
            { new ByteArrayContent("Họ tên;Chức vụ"u8.ToArray()), "files", "../../danh sách quản trị.csv" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{token}/tasks/t1", UriKind.Relative)) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await _office.Http.SendAsync(request, Ct);
        var container = new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(_app.Prefix + "attachments");
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: Ct))
        {
            blobs.Add(blob.Name);
        }

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("attachments").GetInt32());
        var name = Assert.Single(blobs);
        Assert.StartsWith($"{registered.GetProperty("id").GetString()}/chi-bo-b/t1/", name, StringComparison.Ordinal);
        Assert.DoesNotContain("..", name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_submission_gets_field_errors_as_problem_json_or_as_a_vietnamese_page_and_stores_nothing()
    {
        var registered = await _office.RegisterAsync();
        var token = OfficeClient.TokenFor(registered, "chi-bo-b");

        using var json = await SubmitJsonAsync(token, new { status = "finished", note = new string('x', 3000) }, null);
        using var form = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{token}/tasks/t1", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "" }),
        };
        form.Headers.Accept.ParseAdd("text/html");
        using var page = await _office.Http.SendAsync(form, Ct);
        var directive = await GetDirectiveAsync(registered);

        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        var problem = await json.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["note", "status"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("Hãy chọn tình trạng", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, UnitState(directive, "chi-bo-b").GetProperty("versions").GetInt32());
    }

    [Fact]
    public async Task A_task_the_unit_was_not_given_or_a_wrong_link_gets_404_on_submit()
    {
        var registered = await _office.RegisterAsync();
        var token = OfficeClient.TokenFor(registered, "chi-bo-b");

        using var otherTask = await _office.Http.PostAsJsonAsync($"u/{token}/tasks/t9", new { status = "done" }, Ct);
        using var badTask = await _office.Http.PostAsJsonAsync($"u/{token}/tasks/..%2F..", new { status = "done" }, Ct);
        using var badLink = await _office.Http.PostAsJsonAsync("u/forged.token/tasks/t1", new { status = "done" }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, otherTask.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badTask.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, badLink.StatusCode);
    }

    [Fact]
    public async Task After_the_deadline_an_absent_unit_is_overdue_and_a_late_submission_is_submitted_late()
    {
        var registered = await _office.RegisterAsync("2020-01-01");
        var token = OfficeClient.TokenFor(registered, "dang-bo-a");

        using var late = await SubmitJsonAsync(token, new { status = "done" }, null);
        var directive = await GetDirectiveAsync(registered);

        Assert.True((await late.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("late").GetBoolean());
        Assert.Equal("submitted-late", UnitState(directive, "dang-bo-a").GetProperty("state").GetString());
        var overdue = UnitState(directive, "chi-bo-b");
        Assert.Equal("overdue", overdue.GetProperty("state").GetString());
        Assert.True(overdue.GetProperty("daysOverdue").GetInt32() > 365);
    }

    [Fact]
    public async Task The_office_lists_directives_and_an_unknown_directive_is_404()
    {
        var registered = await _office.RegisterAsync();

        using var list = await _office.SendAsync(HttpMethod.Get, "api/directives");
        using var unknown = await _office.SendAsync(HttpMethod.Get, "api/directives/dzzzzzzzzzzzz");
        using var hostile = await _office.SendAsync(HttpMethod.Get, "api/directives/x'%20or%20'1'%20eq%20'1");

        Assert.Equal(registered.GetProperty("id").GetString(), Assert.Single((await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hostile.StatusCode);
    }

    private async Task<HttpResponseMessage> SubmitJsonAsync(string token, object body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{token}/tasks/t1", UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Accept.ParseAdd("application/json");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await _office.Http.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> SendWithoutRedirectAsync(HttpRequestMessage request)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = _app.BaseAddress };
        return await client.SendAsync(request, Ct);
    }

    private async Task<JsonElement> GetDirectiveAsync(JsonElement registered)
    {
        using var response = await _office.SendAsync(HttpMethod.Get, $"api/directives/{registered.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static JsonElement UnitState(JsonElement directive, string unitId) =>
        directive.GetProperty("tasks")[0].GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == unitId);
}
