using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Tests.Infrastructure;
using static ServerlessWorkflow.Tests.Infrastructure.EscalationHarness;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// Issue 16, point 5: on registration each unit gets ONE email through the outbox with its tasks,
/// deadlines and link, on every address it has (through its parent when it has none); a stop between
/// registration and the notice is repaired by the next run, once. The office sends one unit its link
/// again (one email per press), and revokes and reissues it without rotating the signing key: the old
/// link then says it was replaced, the new one goes out by email and the ladder's emails carry it.
/// </summary>
public sealed class UnitNoticesTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly EscalationHarness _h = new(storage);
    private JsonElement _directive;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Id => _directive.GetProperty("id").GetString()!;

    public async ValueTask InitializeAsync()
    {
        _h.Settings["Escalation:TellUnits"] = "true";
        _h.Settings.Remove("Email:Office"); // no digest: every email here is a unit's
        _h.StartClockAt(Vietnam(2, 10, 9));
        await _h.StartAsync();
        using (var twoAddresses = await _h.Office.SendAsync(HttpMethod.Put, "api/units/chi-bo-b", new { name = "Chi bộ Văn phòng", level = 2, parentId = "dang-uy", emails = new[] { "bi-thu@example.invalid", "van-thu@example.invalid" } }))
        {
            Assert.True(twoAddresses.IsSuccessStatusCode);
        }

        using (var none = await _h.Office.SendAsync(HttpMethod.Put, "api/units/chi-bo-a1", new { name = "Chi bộ Phòng Tổng hợp", level = 4, parentId = "dang-bo-a" }))
        {
            Assert.True(none.IsSuccessStatusCode);
        }
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private Task<JsonElement> RegisterAsync() => _h.RegisterAsync(["Trước ngày 26/02/2026", "chậm nhất ngày 10/03/2026"], ["chi-bo-b", "chi-bo-a1"]);

    private static string LinkIn(SendGridRequest mail)
    {
        var text = TextOf(mail);
        var at = text.IndexOf("/u/", StringComparison.Ordinal);
        return text[(at + 3)..text.IndexOf('\n', at)];
    }

    private async Task<(HttpStatusCode Status, string Body)> OpenAsync(string token, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"u/{token}");
        request.Headers.Accept.ParseAdd(accept);
        using var response = await _h.Office.Http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Each_unit_gets_one_email_with_its_tasks_deadlines_and_own_link_on_every_address_or_through_its_parent_however_often_the_timer_runs()
    {
        _directive = await RegisterAsync();

        var first = await _h.RunAtAsync(Vietnam(2, 10, 9, 5));
        var again = await _h.RunAtAsync(Vietnam(2, 10, 9, 10), concurrently: 2);

        Assert.Equal(2, first.Count);
        Assert.Empty(again);
        var own = Assert.Single(first, m => m.To.Any(t => t.Email == "bi-thu@example.invalid"));
        Assert.Equal(["bi-thu@example.invalid", "van-thu@example.invalid"], own.To.Select(t => t.Email));
        Assert.Equal("Giao nhiệm vụ: Công văn số 643-CV/ĐU — Triển khai dịch vụ công của Đảng", own.Subject);
        Assert.Contains("  - Nhiệm vụ số 1 (hạn hết ngày 25/02/2026).", TextOf(own), StringComparison.Ordinal);
        Assert.Contains("  - Nhiệm vụ số 2 (hạn hết ngày 10/03/2026).", TextOf(own), StringComparison.Ordinal);
        Assert.Equal(OfficeClient.TokenFor(_directive, "chi-bo-b"), LinkIn(own));
        var forwarded = Assert.Single(first, m => m.To.Any(t => t.Email == "dang-bo-a@example.invalid"));
        Assert.StartsWith("Chuyển Chi bộ Phòng Tổng hợp — Giao nhiệm vụ", forwarded.Subject, StringComparison.Ordinal);
        Assert.Equal(OfficeClient.TokenFor(_directive, "chi-bo-a1"), LinkIn(forwarded));
        Assert.Equal(HttpStatusCode.OK, (await OpenAsync(LinkIn(own), "text/html")).Status);
        var outbox = await _h.OutboxAsync(Id);
        Assert.Equal(2, outbox.Count);
        Assert.All(outbox, e => Assert.Equal(NoticeSteps.Assigned, e.GetProperty("step").GetString()));
        var (_, page) = await _h.PageAsync($"office/outbox");
        Assert.Contains("Thư giao nhiệm vụ", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_board_just_after_creating_says_the_units_will_be_emailed_only_when_they_are()
    {
        _directive = await RegisterAsync();
        var (_, told) = await _h.PageAsync($"office/directives/{Id}?moi=1");
        _h.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServerlessWorkflow.Functions.Features.CheckDeadlines.EscalationOptions>>().Value.TellUnits = false;
        var (_, notTold) = await _h.PageAsync($"office/directives/{Id}?moi=1");

        Assert.Contains("Mỗi đơn vị sẽ nhận một thư điện tử", told, StringComparison.Ordinal);
        Assert.DoesNotContain("không tự gửi thư", told, StringComparison.Ordinal);
        Assert.Contains("Hệ thống không tự gửi thư cho các đơn vị", notTold, StringComparison.Ordinal);
        Assert.DoesNotContain("sẽ nhận một thư điện tử", notTold, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_between_storing_a_directive_and_telling_its_units_is_repaired_by_the_next_run_exactly_once()
    {
        // As a process that stopped right after storing the directive leaves it: the hint, and no notice.
        _h.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServerlessWorkflow.Functions.Features.CheckDeadlines.EscalationOptions>>().Value.TellUnits = false;
        _directive = await RegisterAsync();
        await _h.App.Services.GetRequiredService<UnitNotices>().ExpectAsync(DirectiveId.Parse(Id).Value, Ct);
        Assert.Empty(await _h.OutboxAsync(Id));

        var repaired = await _h.RunAtAsync(Vietnam(2, 10, 9, 5));
        var next = await _h.RunAtAsync(Vietnam(2, 10, 9, 10));

        Assert.Equal(2, repaired.Count);
        Assert.Empty(next);
        Assert.Equal(2, (await _h.OutboxAsync(Id)).Count);
    }

    [Fact]
    public async Task A_hint_left_by_a_registration_that_never_stored_its_directive_is_dropped_after_an_hour()
    {
        var notices = _h.App.Services.GetRequiredService<UnitNotices>();
        var store = _h.App.Services.GetRequiredService<IEscalationStore>();
        await notices.ExpectAsync(DirectiveId.New(), Ct);

        await _h.RunAtAsync(Vietnam(2, 10, 9, 30));
        var young = await store.ExpectedNoticesAsync(10, Ct);
        await _h.RunAtAsync(Vietnam(2, 10, 10, 5));
        var old = await store.ExpectedNoticesAsync(10, Ct);

        Assert.Single(young); // a registration may still be under way
        Assert.Empty(old);
    }

    [Fact]
    public async Task The_office_resends_one_units_link_one_email_per_press_and_never_two_for_a_double_post()
    {
        _directive = await RegisterAsync();
        await _h.RunAtAsync(Vietnam(2, 10, 9, 5));
        var before = _h.MailsTo("bi-thu@example.invalid").Count;

        var (_, unitPage) = await _h.PageAsync($"office/directives/{Id}/units/chi-bo-b");
        using var pressed = await _h.PostFormAsync($"office/directives/{Id}/units/chi-bo-b/link", new() { ["action"] = "resend", ["key"] = "press-1" });
        using var doubled = await _h.PostFormAsync($"office/directives/{Id}/units/chi-bo-b/link", new() { ["action"] = "resend", ["key"] = "press-1" });
        var (_, shown) = await _h.PageAsync(pressed.Headers.Location!.OriginalString.TrimStart('/'));
        using var pressedAgain = await _h.PostFormAsync($"office/directives/{Id}/units/chi-bo-b/link", new() { ["action"] = "resend", ["key"] = "press-2" });
        using var api = OfficeClient.Request(HttpMethod.Post, $"api/directives/{Id}/units/chi-bo-b/link/resend");
        api.Headers.Add("Idempotency-Key", "program-1");
        using var byProgram = await _h.Office.Http.SendAsync(api, Ct);
        using var api2 = OfficeClient.Request(HttpMethod.Post, $"api/directives/{Id}/units/chi-bo-b/link/resend");
        api2.Headers.Add("Idempotency-Key", "program-1");
        using var byProgramAgain = await _h.Office.Http.SendAsync(api2, Ct);
        var answer = await byProgram.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Contains("Gửi lại đường dẫn cho đơn vị</button>", unitPage, StringComparison.Ordinal);
        Assert.Contains(OfficeClient.TokenFor(_directive, "chi-bo-b"), unitPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, pressed.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, doubled.StatusCode);
        Assert.Contains("Đã gửi lại đường dẫn cho đơn vị: Đã gửi lúc", shown, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, byProgram.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byProgramAgain.StatusCode);
        Assert.Equal(1, answer.GetProperty("linkVersion").GetInt32());
        Assert.EndsWith("/u/" + OfficeClient.TokenFor(_directive, "chi-bo-b"), answer.GetProperty("url").GetString(), StringComparison.Ordinal);
        var resent = _h.MailsTo("bi-thu@example.invalid").Skip(before).ToList();
        Assert.Equal(3, resent.Count); // press-1 (twice posted), press-2, program-1 (twice called)
        Assert.All(resent, m => Assert.Equal("Gửi lại đường dẫn báo cáo Công văn số 643-CV/ĐU", m.Subject));
        Assert.All(resent, m => Assert.Equal(OfficeClient.TokenFor(_directive, "chi-bo-b"), LinkIn(m)));
        using var audit = await _h.Office.SendAsync(HttpMethod.Get, $"api/audit?directiveId={Id}");
        var actions = (await audit.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(3, actions.Count(a => a == "unit-link-resent"));
    }

    [Fact]
    public async Task Reissuing_a_units_link_retires_the_old_one_with_a_clear_answer_sends_the_new_one_and_leaves_other_links_and_the_key_alone()
    {
        _directive = await RegisterAsync();
        await _h.RunAtAsync(Vietnam(2, 10, 9, 5));
        var old = OfficeClient.TokenFor(_directive, "chi-bo-b");
        var other = OfficeClient.TokenFor(_directive, "chi-bo-a1");

        using var reissued = await _h.PostFormAsync($"office/directives/{Id}/units/chi-bo-b/link", new() { ["action"] = "reissue", ["version"] = "1" });
        using var doubled = await _h.PostFormAsync($"office/directives/{Id}/units/chi-bo-b/link", new() { ["action"] = "reissue", ["version"] = "1" });
        var (_, shown) = await _h.PageAsync(reissued.Headers.Location!.OriginalString.TrimStart('/'));
        var newMail = Assert.Single(_h.MailsTo("bi-thu@example.invalid"), m => m.Subject!.StartsWith("Đường dẫn mới", StringComparison.Ordinal));
        var fresh = LinkIn(newMail);
        var (oldPage, oldHtml) = await OpenAsync(old, "text/html");
        var (oldApi, oldProblem) = await OpenAsync(old, "application/json");
        using var oldPost = await _h.Office.SendAsync(HttpMethod.Post, $"u/{old}/tasks/t1", new { status = "done" });
        var (newPage, _) = await OpenAsync(fresh, "text/html");
        var (otherPage, _) = await OpenAsync(other, "text/html");
        var (_, board) = await _h.PageAsync($"office/directives/{Id}");
        var reminders = await _h.RunAtAsync(Vietnam(2, 23, 7)); // the ladder's reminder carries the new link

        Assert.Equal(HttpStatusCode.SeeOther, reissued.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, doubled.StatusCode);
        Assert.Contains("Đã cấp đường dẫn mới cho đơn vị; đường dẫn cũ không còn dùng được.", shown, StringComparison.Ordinal);
        Assert.Contains("Đường dẫn cấp lại lần 1", shown, StringComparison.Ordinal);
        Assert.NotEqual(old, fresh);
        Assert.Contains("đường dẫn gửi trước đây không còn dùng được", TextOf(newMail), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, oldPage);
        Assert.Contains("Đường dẫn này đã được thay bằng đường dẫn mới", oldHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, oldApi);
        Assert.Equal("link-replaced", JsonDocument.Parse(oldProblem).RootElement.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Gone, oldPost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newPage);
        Assert.Equal(HttpStatusCode.OK, otherPage);
        Assert.Contains(fresh, board, StringComparison.Ordinal);
        Assert.DoesNotContain(old, board, StringComparison.Ordinal);
        var reminder = Assert.Single(reminders, m => m.To.Any(t => t.Email == "bi-thu@example.invalid"));
        Assert.Equal(fresh, LinkIn(reminder));
        using var audit = await _h.Office.SendAsync(HttpMethod.Get, $"api/audit?directiveId={Id}");
        var actions = (await audit.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(1, actions.Count(a => a == "unit-link-reissued")); // the double post changed nothing
    }

    [Fact]
    public async Task The_api_reissues_from_a_version_and_a_closed_directive_sends_no_link()
    {
        _directive = await RegisterAsync();
        using var reissued = await _h.Office.SendAsync(HttpMethod.Post, $"api/directives/{Id}/units/chi-bo-b/link/reissue?fromVersion=1");
        var answer = await reissued.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var stale = await _h.Office.SendAsync(HttpMethod.Post, $"api/directives/{Id}/units/chi-bo-b/link/reissue?fromVersion=1");
        var staleAnswer = await stale.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var sent = await _h.RunAtAsync(Vietnam(2, 10, 9, 5));
        var outbox = await _h.OutboxAsync(Id);
        using (await _h.Office.SendAsync(HttpMethod.Post, $"api/directives/{Id}/close", new { }))
        {
        }

        using var closed = await _h.Office.SendAsync(HttpMethod.Post, $"api/directives/{Id}/units/chi-bo-b/link/resend");
        var problem = await closed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var unknown = await _h.Office.SendAsync(HttpMethod.Post, $"api/directives/{Id}/units/dang-uy/link/resend");

        Assert.Equal(HttpStatusCode.OK, reissued.StatusCode);
        Assert.Equal(2, answer.GetProperty("linkVersion").GetInt32());
        Assert.Contains(answer.GetProperty("emailState").GetString(), new[] { "pending", "sent" });
        Assert.Equal(2, staleAnswer.GetProperty("linkVersion").GetInt32()); // the same reissue again: the link in force, not a third
        // The first notice, still waiting with the old link when it was replaced, is not sent: the unit gets the new link alone.
        var toUnit = Assert.Single(_h.MailsTo("bi-thu@example.invalid"));
        Assert.DoesNotContain(sent, m => m.To.Any(t => t.Email == "bi-thu@example.invalid"));
        Assert.StartsWith("Đường dẫn mới", toUnit.Subject, StringComparison.Ordinal);
        var retired = Assert.Single(outbox, e => e.GetProperty("step").GetString() == NoticeSteps.Assigned && e.GetProperty("to")[0].GetString() == "bi-thu@example.invalid");
        Assert.Equal("Không gửi: đường dẫn trong thư đã được thay bằng đường dẫn mới (gửi trong thư khác).", retired.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
        Assert.Equal("directive-closed", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
