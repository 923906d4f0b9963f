using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;
using static ServerlessWorkflow.Tests.Infrastructure.EscalationHarness;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// CheckDeadlines end to end: the real handler on a fake clock, a real Azurite, and a local
/// SendGrid stub over HTTP. The deadline is "trước ngày 26/02/2026" (last day 25/02/2026): reminders
/// at 07:00 on 22/02 and 24/02, step 1 at 07:00 on 26/02, step 2 on 27/02, step 3 on 02/03, each
/// once the step before has gone out. The SendGrid outcome tests run without the office's digest
/// (no office address), so each scripted answer meets the unit's email.
/// </summary>
public sealed class EscalationTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly EscalationHarness _h = new(storage);
    private JsonElement _directive;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private async Task StartAsync(bool digest = true)
    {
        if (!digest)
        {
            _h.Settings.Remove("Email:Office");
        }

        await _h.StartAsync();
        _directive = await _h.Office.RegisterAsync("Trước ngày 26/02/2026", "chi-bo-b");
    }

    [Fact]
    public async Task Before_any_rung_is_due_a_run_sends_nothing()
    {
        await StartAsync();

        await _h.RunAsync();

        Assert.Empty(_h.SendGrid.Requests);
    }

    [Fact]
    public async Task The_ladder_climbs_one_email_per_step_to_the_right_people_and_two_runs_send_each_once()
    {
        await StartAsync();
        async Task At(int month, int day, int hour)
        {
            await _h.RunAtAsync(Vietnam(month, day, hour));
            await _h.RunAsync();
        }

        await At(2, 22, 8);   // reminder 3 days before
        await At(2, 24, 8);   // reminder 1 day before
        await At(2, 26, 8);   // step 1: the first day late
        await At(2, 27, 8);   // step 2: 2 days overdue, to the parent, office in copy
        await At(3, 2, 8);    // step 3: 5 days overdue, to the committees

        var toUnit = _h.MailsTo("chi-bo-b@example.invalid");
        Assert.Equal(3, toUnit.Count);
        Assert.StartsWith("Nhắc hạn:", toUnit[0].Subject, StringComparison.Ordinal);
        Assert.StartsWith("Nhắc hạn:", toUnit[1].Subject, StringComparison.Ordinal);
        Assert.StartsWith("Quá hạn 1 ngày:", toUnit[2].Subject, StringComparison.Ordinal);
        Assert.Contains("/u/", TextOf(toUnit[2]), StringComparison.Ordinal);
        var step2 = Assert.Single(_h.MailsTo("dang-uy@example.invalid"));
        Assert.Equal(["vanphong@example.invalid"], step2.Cc.Select(c => c.Email));
        var step3 = Assert.Single(_h.SendGrid.Requests, r => r.To.Any(t => t.Email == "btv@example.invalid"));
        Assert.Contains(step3.To, t => t.Email == "ubkt@example.invalid");
        Assert.StartsWith("Đề xuất nhắc nhở, phê bình:", step3.Subject, StringComparison.Ordinal);
        Assert.All(_h.SendGrid.Requests, r => Assert.Equal("no-reply@example.invalid", r.From!.Email));
    }

    [Fact]
    public async Task Two_concurrent_runs_send_one_email()
    {
        await StartAsync(digest: false);

        await _h.RunAtAsync(Vietnam(2, 26, 8), concurrently: 3);
        await _h.RunAsync();

        Assert.Single(_h.MailsTo("chi-bo-b@example.invalid"));
        Assert.Single(_h.SendGrid.Requests);
    }

    [Fact]
    public async Task A_429_then_success_delivers_one_email_after_the_reset()
    {
        await StartAsync(digest: false);
        _h.Clock.SetUtcNow(Vietnam(2, 26, 8));
        _h.SendGrid.Enqueue(StubResponse.TooManyRequests(_h.Clock.GetUtcNow().AddSeconds(90).ToUnixTimeSeconds()));

        await _h.RunAsync();
        var throttled = await EmailsAsync();
        _h.Clock.Advance(TimeSpan.FromSeconds(30));
        await _h.RunAsync();
        var requestsBeforeReset = _h.SendGrid.Requests.Count;
        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        await _h.RunAsync();
        await _h.RunAsync();

        Assert.Equal("pending", throttled.Single().GetProperty("state").GetString());
        Assert.StartsWith("Đang chờ gửi: dịch vụ gửi thư đề nghị gửi chậm lại.", throttled.Single().GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, requestsBeforeReset);
        Assert.Equal(2, _h.SendGrid.Requests.Count);
        Assert.Equal("sent", (await EmailsAsync()).Single().GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_400_is_recorded_as_failed_visible_to_the_office_in_Vietnamese_with_the_providers_answer_as_detail_and_not_retried()
    {
        await StartAsync(digest: false);
        _h.Clock.SetUtcNow(Vietnam(2, 26, 8));
        _h.SendGrid.Enqueue(StubResponse.BadRequest("The to array is invalid.", "personalizations.0.to"));

        await _h.RunAsync();
        _h.Clock.Advance(TimeSpan.FromHours(3));
        await _h.RunAsync();

        Assert.Single(_h.SendGrid.Requests);
        var email = (await EmailsAsync()).Single();
        Assert.Equal("failed", email.GetProperty("state").GetString());
        Assert.StartsWith("rejected (400)", email.GetProperty("result").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Gửi lỗi: dịch vụ gửi thư từ chối thư này.", email.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (_, page) = await _h.PageAsync("office/outbox");
        Assert.Contains("Gửi lỗi: dịch vụ gửi thư từ chối thư này.", page, StringComparison.Ordinal);
        Assert.Contains("Chi tiết: rejected (400)", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Nhà cung cấp trả lời", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_5xx_is_retried_later_and_then_sent_once()
    {
        await StartAsync(digest: false);
        _h.Clock.SetUtcNow(Vietnam(2, 26, 8));
        _h.SendGrid.Enqueue(StubResponse.ServerError(), StubResponse.ServerError(503));

        await _h.RunAsync();
        await _h.RunAsync();  // backoff not elapsed: not tried again yet
        var afterFirst = _h.SendGrid.Requests.Count;
        _h.Clock.Advance(TimeSpan.FromHours(1));
        await _h.RunAsync();
        _h.Clock.Advance(TimeSpan.FromHours(2));
        await _h.RunAsync();
        await _h.RunAsync();

        Assert.Equal(1, afterFirst);
        Assert.Equal(3, _h.SendGrid.Requests.Count);
        Assert.Equal("sent", (await EmailsAsync()).Single().GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_unit_that_submits_between_runs_gets_nothing_more()
    {
        await StartAsync();
        await _h.RunAtAsync(Vietnam(2, 26, 8));
        var token = OfficeClient.TokenFor(_directive, "chi-bo-b");
        using var submitted = await _h.Office.Http.PostAsJsonAsync($"u/{token}/tasks/t1", new { status = "done", note = "Đã gửi" }, Ct);

        await _h.RunAtAsync(Vietnam(3, 10, 8));

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Single(_h.MailsTo("chi-bo-b@example.invalid"));
        Assert.Empty(_h.MailsTo("dang-uy@example.invalid"));
        Assert.Empty(_h.MailsTo("btv@example.invalid"));
        var escalations = await _h.EscalationsAsync(_directive);
        Assert.Empty(escalations.GetProperty("assignments")[0].GetProperty("next").EnumerateArray());
    }

    [Fact]
    public async Task The_office_sees_each_email_and_a_preview_of_what_the_next_run_sends_one_step_at_a_time()
    {
        await StartAsync();
        _h.Clock.SetUtcNow(Vietnam(2, 27, 8));
        var before = (await _h.EscalationsAsync(_directive)).GetProperty("assignments")[0];

        await _h.RunAsync();
        var after = (await _h.EscalationsAsync(_directive)).GetProperty("assignments")[0];

        // Step 2 would have been due today, but step 1 goes first; step 2 follows the day after it went out.
        Assert.Equal(["step-1"], before.GetProperty("next").EnumerateArray().Select(n => n.GetProperty("step").GetString()));
        Assert.Empty(after.GetProperty("next").EnumerateArray());
        Assert.Equal(["sent"], after.GetProperty("emails").EnumerateArray().Select(e => e.GetProperty("state").GetString()));
        Assert.Contains("reminder-3d", after.GetProperty("recorded").EnumerateArray().Select(r => r.GetString()));
        await _h.RunAtAsync(Vietnam(2, 28, 7));
        Assert.Single(_h.MailsTo("dang-uy@example.invalid"));
    }

    [Fact]
    public async Task The_daily_digest_lists_overdue_units_once_a_day()
    {
        await StartAsync();

        await _h.RunAtAsync(Vietnam(2, 27, 8));
        await _h.RunAsync();

        var digest = Assert.Single(_h.SendGrid.Requests, r => r.Subject!.StartsWith("Tổng hợp ngày 27/02/2026", StringComparison.Ordinal));
        Assert.Equal("vanphong@example.invalid", digest.To.Single().Email);
        Assert.Contains("Chi bộ Văn phòng: quá hạn 2 ngày", TextOf(digest), StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> EmailsAsync() =>
        (await _h.EscalationsAsync(_directive)).GetProperty("assignments")[0].GetProperty("emails").EnumerateArray().ToList();
}
