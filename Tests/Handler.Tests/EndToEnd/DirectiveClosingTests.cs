using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Tests.Infrastructure;
using static ServerlessWorkflow.Tests.Infrastructure.EscalationHarness;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// Issue 16, point 4: the office closes a directive (or opens it again when it closed it by mistake).
/// Closed, it sends nothing more — reminders, steps, the digest, even an email a run decided just
/// before the close — its units' links show what was sent with a notice and take no report or file,
/// and it leaves the working list but is found under "Đã kết thúc" and by number or subject typed
/// without diacritics. Every change is in the audit trail.
/// </summary>
public sealed class DirectiveClosingTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly EscalationHarness _h = new(storage);
    private JsonElement _directive;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Id => _directive.GetProperty("id").GetString()!;

    public async ValueTask InitializeAsync()
    {
        await _h.StartAsync();
        _directive = await _h.RegisterAsync(["Trước ngày 26/02/2026"], ["chi-bo-b", "dang-bo-a"]);
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object? body = null)
    {
        using var response = await _h.Office.SendAsync(HttpMethod.Post, path, body);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private async Task<List<string>> AuditActionsAsync()
    {
        using var audit = await _h.Office.SendAsync(HttpMethod.Get, $"api/audit?directiveId={Id}");
        return (await audit.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToList();
    }

    [Fact]
    public async Task A_closed_directive_gets_no_reminder_step_or_digest_closing_twice_changes_nothing_and_reopening_resumes_the_ladder()
    {
        _h.Clock.SetUtcNow(Vietnam(2, 23, 10)); // after the first reminder's moment
        var (closedStatus, closed) = await PostAsync($"api/directives/{Id}/close", new { note = "Đã tổng hợp, báo cáo Thành ủy" });
        var (againStatus, again) = await PostAsync($"api/directives/{Id}/close", new { note = "lần hai" });

        var whileClosed = new List<SendGridRequest>();
        foreach (var at in new[] { Vietnam(2, 24, 7), Vietnam(2, 25, 7), Vietnam(2, 26, 8), Vietnam(2, 27, 8), Vietnam(3, 5, 8) })
        {
            whileClosed.AddRange(await _h.RunAtAsync(at));
        }

        var (reopenedStatus, reopened) = await PostAsync($"api/directives/{Id}/reopen");
        var afterReopen = await _h.RunAtAsync(Vietnam(3, 5, 9));

        Assert.Equal(HttpStatusCode.OK, closedStatus);
        Assert.True(closed.GetProperty("closed").GetBoolean());
        Assert.Equal("Đã tổng hợp, báo cáo Thành ủy", closed.GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Equal("Đã tổng hợp, báo cáo Thành ủy", again.GetProperty("note").GetString()); // the closure in force, not a second one
        Assert.Empty(whileClosed); // no reminder, no step, no digest (the office's address is set)
        Assert.Equal(HttpStatusCode.OK, reopenedStatus);
        Assert.False(reopened.GetProperty("closed").GetBoolean());
        Assert.Contains(afterReopen, m => m.To.Any(t => t.Email == "chi-bo-b@example.invalid") && m.Subject!.StartsWith("Quá hạn", StringComparison.Ordinal));
        Assert.Equal(1, (await AuditActionsAsync()).Count(a => a == "directive-closed"));
        Assert.Contains("directive-reopened", await AuditActionsAsync());
    }

    [Fact]
    public async Task A_run_that_decided_an_email_just_before_the_close_sends_nothing_after_it()
    {
        _h.Clock.SetUtcNow(Vietnam(2, 26, 8)); // step 1 is due
        var check = _h.App.Services.GetRequiredService<DeadlineCheck>();
        var decided = await check.RunAsync(Ct); // the run decides and records…
        var (status, _) = await PostAsync($"api/directives/{Id}/close", new { }); // …the office closes…
        var sent = await _h.RunAtAsync(Vietnam(2, 26, 8, 1)); // …and the sending that follows sends nothing

        Assert.True(decided.Recorded > 0);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.All(sent, m => Assert.StartsWith("Tổng hợp ngày 26/02/2026", m.Subject, StringComparison.Ordinal)); // the office's own digest, decided before the close; nothing to a unit, a parent or the committees
        var emails = await _h.OutboxAsync(Id);
        Assert.NotEmpty(emails);
        Assert.All(emails, e => Assert.Equal("skipped", e.GetProperty("state").GetString()));
        Assert.All(emails, e => Assert.Equal("Không gửi: công văn đã kết thúc trước khi đến lượt gửi.", e.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_units_link_shows_what_it_sent_with_the_notice_and_refuses_reports_on_the_page_and_the_api()
    {
        var token = OfficeClient.TokenFor(_directive, "chi-bo-b");
        using (var before = await _h.Office.SendAsync(HttpMethod.Post, $"u/{token}/tasks/t1", new { status = "in-progress", note = "Đang rà soát danh sách" }))
        {
            Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        }

        _h.Clock.SetUtcNow(Vietnam(2, 24, 16));
        await PostAsync($"api/directives/{Id}/close", new { });

        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, $"u/{token}");
        pageRequest.Headers.Accept.ParseAdd("text/html");
        using var page = await _h.Office.Http.SendAsync(pageRequest, Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);
        using var form = new HttpRequestMessage(HttpMethod.Post, $"u/{token}/tasks/t1") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "done", ["note"] = "Xong" }) };
        form.Headers.Accept.ParseAdd("text/html");
        using var formAnswer = await _h.Office.Http.SendAsync(form, Ct);
        var formHtml = await formAnswer.Content.ReadAsStringAsync(Ct);
        using var api = await _h.Office.SendAsync(HttpMethod.Post, $"u/{token}/tasks/t1", new { status = "done", note = "Xong" });
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var workspaceRequest = new HttpRequestMessage(HttpMethod.Get, $"u/{token}");
        workspaceRequest.Headers.Accept.ParseAdd("application/json");
        using var workspace = await _h.Office.Http.SendAsync(workspaceRequest, Ct);
        var json = await workspace.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Công văn đã kết thúc ngày 24/02/2026; không nhận thêm báo cáo.", html, StringComparison.Ordinal);
        Assert.Contains("Đang rà soát danh sách", html, StringComparison.Ordinal); // what was sent stays readable
        Assert.DoesNotContain("Gửi báo cáo</button>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, formAnswer.StatusCode);
        Assert.Contains("Công văn đã kết thúc ngày 24/02/2026; không nhận thêm báo cáo.", formHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Equal("directive-closed", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, workspace.StatusCode);
        Assert.True(json.TryGetProperty("closedAt", out var closedAt) && closedAt.ValueKind == JsonValueKind.String);
        Assert.Single(json.GetProperty("tasks")[0].GetProperty("history").EnumerateArray()); // nothing was added
    }

    [Fact]
    public async Task A_statistics_file_is_refused_once_the_directive_is_closed_from_the_unit_and_from_the_office_sending_for_it()
    {
        using var registered = await _h.Office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "12-CV/ĐU", issuedOn = "2026-02-05", issuer = "Đảng ủy UBND tỉnh", subject = "Báo cáo số liệu đảng viên",
            tasks = new[] { new { title = "Gửi bảng thống kê", kind = "statistics", deadline = "2026-03-10", units = new[] { "chi-bo-b" } } },
        });
        var stats = await registered.Content.ReadFromJsonAsync<JsonElement>(Ct);
        await PostAsync($"api/directives/{stats.GetProperty("id").GetString()}/close", new { });
        var token = OfficeClient.TokenFor(stats, "chi-bo-b");

        using var upload = await _h.Office.SendFileAsync($"u/{token}/tasks/t1/statistics", File.ReadAllBytes(Repository.SharedSample("bao-cao-thong-ke-mau.xlsx")), key: null);
        var problem = await upload.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var template = await _h.Office.Http.GetAsync($"u/{token}/tasks/t1/template.xlsx", Ct);
        using var forUnit = await _h.Office.SendFileAsync($"api/directives/{stats.GetProperty("id").GetString()}/statistics/units/chi-bo-b", File.ReadAllBytes(Repository.SharedSample("bao-cao-thong-ke-mau.xlsx")));
        var officeProblem = await forUnit.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var (pageStatus, page) = await _h.PageAsync($"office/directives/{stats.GetProperty("id").GetString()}/statistics?taskId=t1");
        var stored = new List<string>();
        var uploads = StatisticsImports.Uploads(storage.ConnectionString, _h.App.Prefix);
        if (await uploads.ExistsAsync(Ct))
        {
            await foreach (var blob in uploads.GetBlobsAsync(cancellationToken: Ct))
            {
                stored.Add(blob.Name);
            }
        }

        Assert.Equal(HttpStatusCode.Conflict, upload.StatusCode);
        Assert.Equal("directive-closed", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, template.StatusCode); // reading stays open
        Assert.Equal(HttpStatusCode.Conflict, forUnit.StatusCode);
        Assert.Equal("directive-closed", officeProblem.GetProperty("code").GetString());
        Assert.Empty(stored);
        Assert.Equal(HttpStatusCode.OK, pageStatus); // the figures stay readable; the office's form gives way to the notice
        Assert.Contains("không nhận thêm số liệu, kể cả văn phòng gửi thay đơn vị", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"unitId\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_directives_leave_the_working_list_and_are_found_under_Da_ket_thuc_or_by_number_and_subject_without_diacritics()
    {
        using var other = await _h.Office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "77-CV/ĐU", issuedOn = "2026-02-06", issuer = "Đảng ủy UBND tỉnh", subject = "Kiểm điểm cuối năm",
            tasks = new[] { new { title = "Gửi bản kiểm điểm", kind = "confirmation", deadline = "2026-03-10", units = new[] { "chi-bo-b" } } },
        });
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        await PostAsync($"api/directives/{Id}/close", new { });

        var (_, working) = await _h.PageAsync("office");
        var (_, closed) = await _h.PageAsync("office?xem=da-ket-thuc");
        var (_, found) = await _h.PageAsync("office?xem=tat-ca&q=dich+vu+cong");
        var (_, byNumber) = await _h.PageAsync("office?xem=tat-ca&q=643");
        var (_, notInWorking) = await _h.PageAsync("office?q=643");

        Assert.Contains("77-CV/ĐU", working, StringComparison.Ordinal);
        Assert.DoesNotContain("643-CV/ĐU", working, StringComparison.Ordinal);
        Assert.Contains("1 công văn đã kết thúc", working, StringComparison.Ordinal);
        Assert.Contains("643-CV/ĐU", closed, StringComparison.Ordinal);
        Assert.DoesNotContain("77-CV/ĐU", closed, StringComparison.Ordinal);
        Assert.Contains("Đã kết thúc 20/02/2026", closed, StringComparison.Ordinal);
        Assert.Contains("643-CV/ĐU", found, StringComparison.Ordinal);
        Assert.DoesNotContain("77-CV/ĐU", found, StringComparison.Ordinal);
        Assert.Contains("643-CV/ĐU", byNumber, StringComparison.Ordinal);
        Assert.Contains("Không có công văn nào khớp với nội dung tìm.", notInWorking, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_lists_and_reads_a_directive_with_its_closure_and_one_still_followed_without()
    {
        using var other = await _h.Office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "77-CV/ĐU", issuedOn = "2026-02-06", issuer = "Đảng ủy UBND tỉnh", subject = "Kiểm điểm cuối năm",
            tasks = new[] { new { title = "Gửi bản kiểm điểm", kind = "confirmation", deadline = "2026-03-10", units = new[] { "chi-bo-b" } } },
        });
        var otherId = (await other.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        await PostAsync($"api/directives/{Id}/close", new { note = "Đã hoàn thành đợt kiểm tra" });

        using var list = await _h.Office.SendAsync(HttpMethod.Get, "api/directives");
        var listed = (await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().ToDictionary(d => d.GetProperty("id").GetString()!, d => d.GetProperty("closed"));
        using var one = await _h.Office.SendAsync(HttpMethod.Get, $"api/directives/{Id}");
        var closed = (await one.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("closed");
        using var open = await _h.Office.SendAsync(HttpMethod.Get, $"api/directives/{otherId}");

        Assert.Equal("Đã hoàn thành đợt kiểm tra", listed[Id].GetProperty("note").GetString());
        Assert.Equal(_h.Clock.GetUtcNow(), listed[Id].GetProperty("at").GetDateTimeOffset());
        Assert.False(string.IsNullOrEmpty(listed[Id].GetProperty("by").GetString()));
        Assert.Equal(JsonValueKind.Null, listed[otherId].ValueKind);
        Assert.Equal("Đã hoàn thành đợt kiểm tra", closed.GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Null, (await open.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("closed").ValueKind);
    }

    [Fact]
    public async Task The_office_closes_from_the_board_through_a_confirmation_without_script_and_can_open_it_again()
    {
        var (_, board) = await _h.PageAsync($"office/directives/{Id}");
        var (confirmStatus, confirm) = await _h.PageAsync($"office/directives/{Id}/close");
        using var tooLong = await _h.PostFormAsync($"office/directives/{Id}/close", new() { ["note"] = new string('x', 501) });
        var refused = await tooLong.Content.ReadAsStringAsync(Ct);
        using var close = await _h.PostFormAsync($"office/directives/{Id}/close", new() { ["note"] = "Đã xong" });
        var (_, closedBoard) = await _h.PageAsync(close.Headers.Location!.OriginalString.TrimStart('/'));
        var (_, closedConfirm) = await _h.PageAsync($"office/directives/{Id}/close");
        using var reopen = await _h.PostFormAsync($"office/directives/{Id}/reopen", []);
        var (_, reopenedBoard) = await _h.PageAsync(reopen.Headers.Location!.OriginalString.TrimStart('/'));

        Assert.Contains($"href=\"/office/directives/{Id}/close\"", board, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, confirmStatus);
        Assert.Contains("Đóng công văn</button>", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("Ghi chú: Ghi chú dài tối đa 500 ký tự.", refused, StringComparison.Ordinal);
        Assert.Contains(new string('x', 501), refused, StringComparison.Ordinal); // what was typed stays
        Assert.Equal(HttpStatusCode.SeeOther, close.StatusCode);
        Assert.Contains("Đã đóng công văn.", closedBoard, StringComparison.Ordinal);
        Assert.Contains("Công văn đã kết thúc ngày 20/02/2026", closedBoard, StringComparison.Ordinal);
        Assert.Contains(": Đã xong", closedBoard, StringComparison.Ordinal);
        Assert.Contains("Mở lại công văn</button>", closedConfirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, reopen.StatusCode);
        Assert.Contains("Đã mở lại công văn.", reopenedBoard, StringComparison.Ordinal);
        Assert.DoesNotContain("Công văn đã kết thúc ngày", reopenedBoard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closing_an_unknown_directive_is_not_found_and_the_office_cannot_remind_a_unit_of_a_closed_one()
    {
        var (unknown, problem) = await PostAsync("api/directives/dzzzzzzzzzzzz/close", new { });
        await PostAsync($"api/directives/{Id}/close", new { });
        _h.Clock.SetUtcNow(Vietnam(2, 26, 9));
        using var remind = await _h.PostFormAsync($"office/directives/{Id}/units/chi-bo-b/tasks/t1", new() { ["action"] = "remind" });
        var page = await remind.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("directive-not-found", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, remind.StatusCode);
        Assert.Contains("Công văn đã kết thúc ngày 20/02/2026; không nhắc đơn vị nữa.", page, StringComparison.Ordinal);
        Assert.Empty(_h.SendGrid.Requests);
    }
}
