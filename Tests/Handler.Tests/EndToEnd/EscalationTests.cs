using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// CheckDeadlines end to end: the real handler on a fake clock, a real Azurite, and a local
/// SendGrid stub over HTTP. The deadline is "trước ngày 26/02/2026" (last day 25/02/2026).
/// </summary>
public sealed class EscalationTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 20, 9, 0, 0, Vn));
    private SendGridStub _sendGrid = null!;
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;
    private JsonElement _directive;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sendGrid = await SendGridStub.StartAsync();
        _app = new HandlerApp(
            storage.ConnectionString,
            StorageFixture.NewPrefix(),
            new Dictionary<string, string?>
            {
                ["SendGrid:ApiKey"] = _sendGrid.ApiKey,
                ["SendGrid:Host"] = _sendGrid.BaseAddress.ToString(),
                ["Email:From"] = "Văn phòng Đảng ủy <no-reply@example.invalid>",
                ["Email:Office"] = "vanphong@example.invalid",
                ["Escalation:Recipients"] = "btv@example.invalid, ubkt@example.invalid",
            },
            services => services.AddSingleton<TimeProvider>(_clock));
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
        _directive = await _office.RegisterAsync("Trước ngày 26/02/2026", "chi-bo-b");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    [Fact]
    public async Task Before_any_rung_is_due_a_run_sends_nothing()
    {
        await RunAsync();

        Assert.Empty(_sendGrid.Requests);
    }

    [Fact]
    public async Task The_ladder_climbs_one_email_per_step_to_the_right_people_and_two_runs_send_each_once()
    {
        async Task At(int month, int day, int hour)
        {
            _clock.SetUtcNow(new DateTimeOffset(2026, month, day, hour, 0, 0, Vn));
            await RunAsync();
            await RunAsync();
        }

        await At(2, 22, 8);   // reminder 3 days before
        await At(2, 24, 8);   // reminder 1 day before
        await At(2, 26, 0);   // step 1: the deadline has passed
        await At(2, 27, 8);   // step 2: 2 days overdue, to the parent, office in copy
        await At(3, 2, 8);    // step 3: 5 days overdue, to the committees

        var toUnit = Mails("chi-bo-b@example.invalid");
        Assert.Equal(3, toUnit.Count);
        Assert.StartsWith("Nhắc hạn:", toUnit[0].Subject, StringComparison.Ordinal);
        Assert.StartsWith("Nhắc hạn:", toUnit[1].Subject, StringComparison.Ordinal);
        Assert.StartsWith("Quá hạn 1 ngày:", toUnit[2].Subject, StringComparison.Ordinal);
        Assert.Contains("/u/", toUnit[2].Contents.Single(c => c.Type == "text/plain").Value, StringComparison.Ordinal);
        var step2 = Assert.Single(Mails("dang-uy@example.invalid"));
        Assert.Equal(["vanphong@example.invalid"], step2.Cc.Select(c => c.Email));
        var step3 = Assert.Single(_sendGrid.Requests, r => r.To.Any(t => t.Email == "btv@example.invalid"));
        Assert.Contains(step3.To, t => t.Email == "ubkt@example.invalid");
        Assert.StartsWith("Đề xuất nhắc nhở, phê bình:", step3.Subject, StringComparison.Ordinal);
        Assert.All(_sendGrid.Requests, r => Assert.Equal("no-reply@example.invalid", r.From!.Email));
    }

    [Fact]
    public async Task Two_concurrent_runs_send_one_email()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 26, 1, 0, 0, Vn));

        await Task.WhenAll(RunAsync(), RunAsync(), RunAsync());
        await RunAsync();

        var step1 = Mails("chi-bo-b@example.invalid");
        Assert.Single(step1);
    }

    [Fact]
    public async Task A_429_then_success_delivers_one_email_after_the_reset()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 26, 1, 0, 0, Vn));
        _sendGrid.Enqueue(StubResponse.TooManyRequests(_clock.GetUtcNow().AddSeconds(90).ToUnixTimeSeconds()));

        await RunAsync();
        var throttled = await EmailsAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));
        await RunAsync();
        var requestsBeforeReset = _sendGrid.Requests.Count;
        _clock.Advance(TimeSpan.FromMinutes(2));
        await RunAsync();
        await RunAsync();

        Assert.Equal("pending", throttled.Single().GetProperty("state").GetString());
        Assert.Equal(1, requestsBeforeReset);
        Assert.Equal(2, _sendGrid.Requests.Count);
        Assert.Equal("sent", (await EmailsAsync()).Single().GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_400_is_recorded_as_failed_visible_to_the_office_and_not_retried()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 26, 1, 0, 0, Vn));
        _sendGrid.Enqueue(StubResponse.BadRequest("The to array is invalid.", "personalizations.0.to"));

        await RunAsync();
        _clock.Advance(TimeSpan.FromHours(3));
        await RunAsync();

        Assert.Single(_sendGrid.Requests);
        var email = (await EmailsAsync()).Single();
        Assert.Equal("failed", email.GetProperty("state").GetString());
        Assert.StartsWith("rejected (400)", email.GetProperty("result").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_5xx_is_retried_later_and_then_sent_once()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 26, 1, 0, 0, Vn));
        _sendGrid.Enqueue(StubResponse.ServerError(), StubResponse.ServerError(503));

        await RunAsync();
        await RunAsync();  // backoff not elapsed: not tried again yet
        var afterFirst = _sendGrid.Requests.Count;
        _clock.Advance(TimeSpan.FromHours(1));
        await RunAsync();
        _clock.Advance(TimeSpan.FromHours(2));
        await RunAsync();
        await RunAsync();

        Assert.Equal(1, afterFirst);
        Assert.Equal(3, _sendGrid.Requests.Count);
        Assert.Equal("sent", (await EmailsAsync()).Single().GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_unit_that_submits_between_runs_gets_nothing_more()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 26, 1, 0, 0, Vn));
        await RunAsync();
        var token = OfficeClient.TokenFor(_directive, "chi-bo-b");
        using var submitted = await _office.Http.PostAsJsonAsync($"u/{token}/tasks/t1", new { status = "done", note = "Đã gửi" }, Ct);

        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 8, 0, 0, Vn));
        await RunAsync();

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Single(Mails("chi-bo-b@example.invalid"));
        Assert.Empty(Mails("dang-uy@example.invalid"));
        Assert.Empty(Mails("btv@example.invalid"));
        var escalations = await EscalationsAsync();
        Assert.Empty(escalations.GetProperty("assignments")[0].GetProperty("next").EnumerateArray());
    }

    [Fact]
    public async Task The_office_sees_each_email_and_a_preview_of_what_the_next_run_sends()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 27, 8, 0, 0, Vn));
        var before = (await EscalationsAsync()).GetProperty("assignments")[0];

        await RunAsync();
        var after = (await EscalationsAsync()).GetProperty("assignments")[0];

        Assert.Equal(["step-1", "step-2"], before.GetProperty("next").EnumerateArray().Select(n => n.GetProperty("step").GetString()));
        Assert.Empty(after.GetProperty("next").EnumerateArray());
        Assert.Equal(["sent", "sent"], after.GetProperty("emails").EnumerateArray().Select(e => e.GetProperty("state").GetString()));
        Assert.Contains("reminder-3d", after.GetProperty("recorded").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task The_daily_digest_lists_overdue_units_once_a_day()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 27, 8, 0, 0, Vn));

        await RunAsync();
        await RunAsync();

        var digest = Assert.Single(_sendGrid.Requests, r => r.Subject!.StartsWith("Tổng hợp ngày 27/02/2026", StringComparison.Ordinal));
        Assert.Equal("vanphong@example.invalid", digest.To.Single().Email);
        Assert.Contains("Chi bộ Văn phòng: quá hạn 2 ngày", digest.Contents.Single(c => c.Type == "text/plain").Value, StringComparison.Ordinal);
    }

    private List<SendGridRequest> Mails(string to) => _sendGrid.Requests.Where(r => r.To.Any(t => t.Email == to)).ToList();

    private async Task RunAsync()
    {
        var payload = InvocationPayloads.ForTimer("CheckDeadlines", "timer", null, _clock.GetUtcNow().AddMinutes(5), false, _clock.GetUtcNow());
        using var response = await _office.Http.PostAsJsonAsync("CheckDeadlines", payload, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<JsonElement> EscalationsAsync()
    {
        using var response = await _office.SendAsync(HttpMethod.Get, $"api/directives/{_directive.GetProperty("id").GetString()}/escalations");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<List<JsonElement>> EmailsAsync() =>
        (await EscalationsAsync()).GetProperty("assignments")[0].GetProperty("emails").EnumerateArray().ToList();
}
