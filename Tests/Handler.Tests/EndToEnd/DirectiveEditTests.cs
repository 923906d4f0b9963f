using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;
using static ServerlessWorkflow.Tests.Infrastructure.EscalationHarness;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// Issue 16, points 2 and 3 end to end against Azurite: tasks without a deadline (tracked, never
/// reminded), each unit's role (chủ trì / phối hợp), and editing a registered directive — extend
/// (the ladder follows), add and remove units (new links; the removed unit's link refuses with a
/// notice), cancel, add a task, correct the number — with If-Match (412 when stale, 428 without),
/// each change in the history, the audit trail, the board and the units' pages.
/// </summary>
public sealed class DirectiveEditTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly EscalationHarness _h = new(storage);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _h.Settings.Remove("Email:Office"); // no digest: every email here is about one unit's task
        _h.StartClockAt(Vietnam(2, 20, 9));
        await _h.StartAsync();
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private async Task<JsonElement> RegisterAsync(params object[] tasks)
    {
        using var response = await _h.Office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "000-CV/ĐU",
            issuedOn = "2026-02-13",
            issuer = "Đảng ủy phường Đống Đa",
            subject = "Triển khai tài khoản ngân hàng và dịch vụ công",
            tasks,
        });
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> EditAsync(string id, string? ifMatch, object edit, string method = "PATCH")
    {
        using var request = OfficeClient.Request(new HttpMethod(method), $"api/directives/{id}", edit);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        var response = await _h.Office.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private async Task<JsonElement> GetAsync(string id)
    {
        using var response = await _h.Office.SendAsync(HttpMethod.Get, $"api/directives/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal($"\"r{body.GetProperty("changes").GetArrayLength()}\"", response.Headers.ETag?.ToString());
        Assert.Equal(response.Headers.ETag?.ToString(), body.GetProperty("eTag").GetString());
        return body;
    }

    private async Task<HttpResponseMessage> SubmitAsync(JsonElement registered, string unit, string task, string status = "done") =>
        await _h.Office.Http.PostAsJsonAsync($"u/{OfficeClient.TokenFor(registered, unit)}/tasks/{task}", new { status, note = "Đã thực hiện" }, Ct);

    private async Task<string> UnitPageAsync(JsonElement registered, string unit)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"u/{OfficeClient.TokenFor(registered, unit)}");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await _h.Office.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [Fact]
    public async Task A_units_link_sent_before_an_extension_keeps_working_until_the_new_deadlines_follow_up_ends()
    {
        var registered = await RegisterAsync(new { title = "Mở tài khoản ngân hàng mang tên tổ chức đảng", kind = "confirmation", deadline = "Trước ngày 26/02/2026", units = new object[] { "chi-bo-b" } });
        var id = registered.GetProperty("id").GetString()!;
        var token = OfficeClient.TokenFor(registered, "chi-bo-b"); // signed for 26/02: it ends 60 days after
        var (extended, _) = await EditAsync(id, "\"r0\"", new { reason = "Ngân hàng chưa kịp mở tài khoản", tasks = new[] { new { id = "t1", deadline = "30/06/2026" } } });

        async Task<HttpStatusCode> OpenAtAsync(DateTimeOffset at)
        {
            _h.Clock.SetUtcNow(at);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"u/{token}");
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await _h.Office.Http.SendAsync(request, Ct);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await OpenAtAsync(Vietnam(5, 15, 9))); // past the end signed in (late April), before the new one
        Assert.Equal(HttpStatusCode.OK, await OpenAtAsync(Vietnam(8, 28, 9)));
        Assert.Equal(HttpStatusCode.NotFound, await OpenAtAsync(Vietnam(9, 1, 9))); // 60 days after 30/06 have passed
    }

    [Fact]
    public async Task A_task_without_a_deadline_is_tracked_and_reported_but_never_reminded_nor_escalated_and_roles_are_kept_per_unit()
    {
        var registered = await RegisterAsync(
            new { title = "Đăng nhập Cổng dịch vụ công bằng tài khoản VNeID mức 2", kind = "confirmation", units = new object[] { new { id = "dang-bo-a", role = "chu-tri" }, new { id = "chi-bo-b", role = "phoi-hop" } } },
            new { title = "Mở tài khoản ngân hàng mang tên tổ chức đảng", kind = "confirmation", deadline = "Trước ngày 26/02/2026", units = new object[] { "chi-bo-b" } });
        var id = registered.GetProperty("id").GetString()!;

        foreach (var day in new[] { 22, 24, 26, 28 })
        {
            await _h.RunAtAsync(Vietnam(2, day, 9));
        }

        await _h.RunAtAsync(Vietnam(4, 30, 9));
        using var done = await SubmitAsync(registered, "dang-bo-a", "t1");
        var directive = await GetAsync(id);
        var (status, ladder) = await _h.PageAsync($"office/directives/{id}/units/dang-bo-a");
        var unitPage = await UnitPageAsync(registered, "chi-bo-b");
        var (_, board) = await _h.PageAsync($"office/directives/{id}");

        var undated = registered.GetProperty("tasks")[0];
        Assert.Equal(JsonValueKind.Null, undated.GetProperty("deadline").ValueKind);
        Assert.Empty(undated.GetProperty("plan").EnumerateArray());
        Assert.Equal(["dang-bo-a:chu-tri", "chi-bo-b:phoi-hop"], undated.GetProperty("roles").EnumerateArray().Select(r => $"{r.GetProperty("unitId").GetString()}:{r.GetProperty("role").GetString()}"));
        Assert.Empty(_h.MailsTo("dang-bo-a@example.invalid"));
        Assert.DoesNotContain(_h.SendGrid.Requests, r => TextOf(r).Contains("VNeID", StringComparison.Ordinal));
        Assert.NotEmpty(_h.MailsTo("chi-bo-b@example.invalid")); // the dated task's ladder still runs
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        var t1 = directive.GetProperty("tasks")[0].GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("unitId").GetString()!);
        Assert.Equal("submitted-on-time", t1["dang-bo-a"].GetProperty("state").GetString());
        Assert.Equal("pending", t1["chi-bo-b"].GetProperty("state").GetString());
        Assert.Equal("chu-tri", t1["dang-bo-a"].GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Không có hạn: chỉ theo dõi", ladder, StringComparison.Ordinal);
        Assert.Contains("không có hạn", unitPage, StringComparison.Ordinal);
        Assert.Contains("Vai trò của đơn vị: <strong>Phối hợp</strong>", unitPage, StringComparison.Ordinal);
        Assert.Contains("không có hạn: chỉ theo dõi, không nhắc", board, StringComparison.Ordinal);
        Assert.Contains("Chủ trì", board, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extending_a_deadline_needs_a_reason_moves_the_ladder_to_the_new_deadline_and_reminds_again_while_sent_steps_stay_sent()
    {
        var registered = await RegisterAsync(new { title = "Mở tài khoản ngân hàng mang tên tổ chức đảng", kind = "confirmation", deadline = "Trước ngày 26/02/2026", units = new[] { "chi-bo-b" } });
        var id = registered.GetProperty("id").GetString()!;
        await _h.RunAtAsync(Vietnam(2, 22, 9)); // reminder 3 days before the old deadline
        var before = _h.MailsTo("chi-bo-b@example.invalid").Count;

        var (noReason, problem) = await EditAsync(id, "\"r0\"", new { tasks = new[] { new { id = "t1", deadline = "10/03/2026" } } });
        var (extended, answer) = await EditAsync(id, "\"r0\"", new { reason = "Ngân hàng chưa kịp mở tài khoản", tasks = new[] { new { id = "t1", deadline = "10/03/2026" } } });
        var atOldDeadline = await _h.RunAtAsync(Vietnam(2, 26, 9));
        var reminded = await _h.RunAtAsync(Vietnam(3, 7, 9));
        var late = await _h.RunAtAsync(Vietnam(3, 11, 9));
        var directive = await GetAsync(id);
        var unitPage = await UnitPageAsync(registered, "chi-bo-b");
        var outbox = await _h.OutboxAsync(id);

        Assert.Equal(1, before);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        Assert.Equal("\"r1\"", extended.Headers.ETag?.ToString());
        Assert.Equal("deadline-extended", answer.GetProperty("change").GetProperty("lines")[0].GetProperty("kind").GetString());
        Assert.Empty(atOldDeadline); // not overdue any more: the ladder follows the new deadline
        Assert.Single(reminded);
        Assert.StartsWith("Nhắc hạn:", reminded[0].Subject, StringComparison.Ordinal);
        Assert.Contains("10/03/2026", reminded[0].Subject, StringComparison.Ordinal);
        Assert.Single(late);
        Assert.StartsWith("Quá hạn 1 ngày:", late[0].Subject, StringComparison.Ordinal);
        Assert.Equal(2, outbox.Count(e => e.GetProperty("step").GetString() == "reminder-3d")); // the first reminder stays sent, a second went for the new deadline
        Assert.Equal("2026-03-10", directive.GetProperty("tasks")[0].GetProperty("deadline").GetString());
        Assert.Contains("Gia hạn nhiệm vụ 1 “Mở tài khoản ngân hàng mang tên tổ chức đảng” từ 25/02/2026 đến 10/03/2026 (lý do: Ngân hàng chưa kịp mở tài khoản)", unitPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_or_missing_If_Match_changes_nothing_and_the_412_carries_the_current_version()
    {
        var registered = await RegisterAsync(new { title = "Rà soát dữ liệu đảng viên", kind = "confirmation", deadline = "2026-03-31", units = new[] { "chi-bo-b" } });
        var id = registered.GetProperty("id").GetString()!;

        var (first, _) = await EditAsync(id, "\"r0\"", new { number = "001-CV/ĐU" });
        var (second, stale) = await EditAsync(id, "\"r0\"", new { subject = "Trích yếu của người thứ hai" }, "PUT");
        var (missing, required) = await EditAsync(id, null, new { subject = "Không ghi phiên bản" });
        var directive = await GetAsync(id);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal("stale-version", stale.GetProperty("code").GetString());
        Assert.Equal("\"r1\"", stale.GetProperty("etag").GetString());
        Assert.Equal("001-CV/ĐU", stale.GetProperty("current").GetProperty("number").GetString());
        Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        Assert.Equal("if-match-required", required.GetProperty("code").GetString());
        Assert.Equal("001-CV/ĐU", directive.GetProperty("number").GetString());
        Assert.Equal("Triển khai tài khoản ngân hàng và dịch vụ công", directive.GetProperty("subject").GetString());
        Assert.Single(directive.GetProperty("changes").EnumerateArray());
    }

    [Fact]
    public async Task Units_added_get_a_link_that_works_units_removed_are_refused_with_a_notice_and_no_longer_reminded()
    {
        var registered = await RegisterAsync(new { title = "Mở tài khoản ngân hàng mang tên tổ chức đảng", kind = "confirmation", deadline = "Trước ngày 26/02/2026", units = new[] { "dang-bo-a", "chi-bo-b" } });
        var id = registered.GetProperty("id").GetString()!;

        var (edited, answer) = await EditAsync(id, "\"r0\"", new
        {
            reason = "Đảng bộ Sở Tài chính đã chuyển sinh hoạt",
            tasks = new[] { new { id = "t1", addUnits = new object[] { new { id = "chi-bo-a1", role = "phoi-hop" } }, removeUnits = new[] { "dang-bo-a" } } },
        });
        using var removedPost = await SubmitAsync(registered, "dang-bo-a", "t1");
        var removedProblem = await removedPost.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var removedPage = await UnitPageAsync(registered, "dang-bo-a");
        using var addedPost = await SubmitAsync(answer, "chi-bo-a1", "t1");
        await _h.RunAtAsync(Vietnam(2, 22, 9));
        await _h.RunAtAsync(Vietnam(2, 26, 9));
        var directive = await GetAsync(id);
        var (_, board) = await _h.PageAsync($"office/directives/{id}");

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(["chi-bo-a1"], answer.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("unitId").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, removedPost.StatusCode);
        Assert.Equal("unit-withdrawn", removedProblem.GetProperty("code").GetString());
        Assert.Contains("Văn phòng đã bỏ đơn vị khỏi nhiệm vụ này ngày 20/02/2026 (lý do: Đảng bộ Sở Tài chính đã chuyển sinh hoạt)", removedProblem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains("báo cáo gửi lên không được ghi nhận", removedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Gửi báo cáo</button>", removedPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, addedPost.StatusCode);
        Assert.Empty(_h.MailsTo("dang-bo-a@example.invalid"));
        Assert.NotEmpty(_h.MailsTo("chi-bo-b@example.invalid"));
        var units = directive.GetProperty("tasks")[0].GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unitId").GetString()).Order();
        Assert.Equal(["chi-bo-a1", "chi-bo-b"], units);
        Assert.Contains("Bỏ đơn vị khỏi nhiệm vụ 1", board, StringComparison.Ordinal);
        Assert.Contains("Thêm đơn vị vào nhiệm vụ 1", board, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_task_sends_nothing_more_shows_as_cancelled_and_takes_no_report_while_a_task_added_later_and_a_corrected_number_are_recorded()
    {
        var registered = await RegisterAsync(new { title = "Mở tài khoản ngân hàng mang tên tổ chức đảng", kind = "confirmation", deadline = "Trước ngày 26/02/2026", units = new[] { "chi-bo-b" } });
        var id = registered.GetProperty("id").GetString()!;

        var (edited, answer) = await EditAsync(id, "\"r0\"", new
        {
            number = "000-CV/ĐU (bổ sung)",
            reason = "Đã có hướng dẫn mới của cấp trên",
            tasks = new[] { new { id = "t1", cancel = true } },
            newTasks = new[] { new { title = "Báo cáo kết quả mở tài khoản", kind = "confirmation", deadline = "15/03/2026", units = new object[] { "chi-bo-b" } } },
        });
        var mails = new List<SendGridRequest>();
        foreach (var day in new[] { 22, 24, 26, 28 })
        {
            mails.AddRange(await _h.RunAtAsync(Vietnam(2, day, 9)));
        }

        using var post = await SubmitAsync(registered, "chi-bo-b", "t1");
        using var added = await SubmitAsync(registered, "chi-bo-b", "t2");
        var directive = await GetAsync(id);
        var (_, board) = await _h.PageAsync($"office/directives/{id}");
        using var audit = await _h.Office.SendAsync(HttpMethod.Get, "api/audit");
        var trail = await audit.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(["corrected", "task-cancelled", "task-added"], answer.GetProperty("change").GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("kind").GetString()));
        Assert.Empty(mails);
        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode); // the old link reaches the task added since
        Assert.Equal("000-CV/ĐU (bổ sung)", directive.GetProperty("number").GetString());
        Assert.Equal("Đã có hướng dẫn mới của cấp trên", directive.GetProperty("tasks")[0].GetProperty("cancelled").GetProperty("reason").GetString());
        Assert.Equal("2026-03-15", directive.GetProperty("tasks")[1].GetProperty("deadline").GetString());
        Assert.Contains("Đã hủy", board, StringComparison.Ordinal);
        Assert.Contains("Sửa số công văn: 000-CV/ĐU → 000-CV/ĐU (bổ sung)", board, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Contains("directive-edited", trail, StringComparison.Ordinal);
        Assert.Contains("Hủy nhiệm vụ 1", trail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_edit_page_saves_a_change_and_a_second_person_editing_the_same_version_gets_409_with_the_current_values_and_what_they_typed()
    {
        var registered = await RegisterAsync(new { title = "Mở tài khoản ngân hàng mang tên tổ chức đảng", kind = "confirmation", deadline = "Trước ngày 26/02/2026", units = new[] { "chi-bo-b" } });
        var id = registered.GetProperty("id").GetString()!;
        var (shown, page) = await _h.PageAsync($"office/directives/{id}/sua");
        Dictionary<string, string> Form(string deadline, string reason) => new()
        {
            ["revision"] = "0", ["number"] = "000-CV/ĐU", ["issuedOn"] = "13/02/2026", ["issuer"] = "Đảng ủy phường Đống Đa",
            ["subject"] = "Triển khai tài khoản ngân hàng và dịch vụ công", ["reason"] = reason,
            ["tasks[0].id"] = "t1", ["tasks[0].deadline"] = deadline,
        };

        using var first = await _h.PostFormAsync($"office/directives/{id}/sua", Form("05/03/2026", "Theo đề nghị của chi bộ"));
        using var second = await _h.PostFormAsync($"office/directives/{id}/sua", Form("20/03/2026", "Lý do người thứ hai đã gõ"));
        var conflict = await second.Content.ReadAsStringAsync(Ct);
        var third = Form("25/03/2026", "");
        third["revision"] = "1";
        using var noReason = await _h.PostFormAsync($"office/directives/{id}/sua", third);
        var refused = await noReason.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, shown);
        Assert.Contains("Gia hạn đến ngày", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal($"/office/directives/{id}?sua=1", first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("Công văn vừa được người khác sửa", conflict, StringComparison.Ordinal);
        Assert.Contains("hạn 05/03/2026", conflict, StringComparison.Ordinal); // the current version
        Assert.Contains("Lý do người thứ hai đã gõ", conflict, StringComparison.Ordinal); // what was typed, kept
        Assert.Contains("value=\"20/03/2026\"", conflict, StringComparison.Ordinal);
        Assert.Contains("name=\"revision\" value=\"1\"", conflict, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("Lý do thay đổi", refused, StringComparison.Ordinal);
        Assert.Contains("value=\"25/03/2026\"", refused, StringComparison.Ordinal);
    }
}
