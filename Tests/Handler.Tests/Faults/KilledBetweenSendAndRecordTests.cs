using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Faults;

/// <summary>
/// The handler, as a real process, is SIGKILLed while SendGrid holds the answer to the first email
/// of a drain: the email was handed over, its outcome not yet recorded. A new process then drains
/// the outbox (once the dead process's blob lease has expired: <c>Escalation__SenderLeaseSeconds=15</c>
/// here, instead of the default 60). Every email the check decided is taken by SendGrid at least
/// once, none is handed over more than twice, and a further run sends nothing.
/// Real time throughout (the process has its own clock): the deadline lies ten days back, and
/// <c>Escalation__SendHour=0</c> makes step 1 of each of three units and the digest due whatever the
/// hour (the steps after it wait a day after it went out).
/// </summary>
public sealed class KilledBetweenSendAndRecordTests(StorageFixture storage) : IAsyncLifetime
{
    private SendGridStub _sendGrid = null!;
    private Dictionary<string, string> _environment = null!;
    private HandlerProcess? _handler;
    private string _directiveId = string.Empty;
    private string _heldKey = string.Empty;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sendGrid = await SendGridStub.StartAsync();
        _environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["Storage__Prefix"] = StorageFixture.NewPrefix(),
            ["Office__ApiKey"] = HandlerApp.OfficeKey,
            ["Links__SigningKey"] = "test-signing-key-0123456789abcdef",
            ["SendGrid__ApiKey"] = _sendGrid.ApiKey,
            ["SendGrid__Host"] = _sendGrid.BaseAddress.ToString(),
            ["Email__From"] = "Văn phòng Đảng ủy <no-reply@example.invalid>",
            ["Email__Office"] = "vanphong@example.invalid",
            ["Escalation__Recipients"] = "btv@example.invalid, ubkt@example.invalid",
            ["Escalation__SendHour"] = "0",
            ["Escalation__SenderLeaseSeconds"] = "15",
            ["Logging__LogLevel__Default"] = "Information",
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_handler is not null)
        {
            await _handler.DisposeAsync();
        }

        await _sendGrid.DisposeAsync();
    }

    [Fact]
    public async Task Killed_while_SendGrid_holds_the_first_email_the_next_process_sends_every_email_at_least_once_and_none_more_than_twice()
    {
        _handler = await HandlerProcess.StartAsync(_environment);
        using (var http = _handler.CreateClient())
        {
            var office = new OfficeClient(http);
            await office.SeedUnitsAsync();
            var lastDay = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).AddDays(-10);
            var directive = await office.RegisterAsync(lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "dang-bo-a", "chi-bo-b", "chi-bo-a1");
            _directiveId = directive.GetProperty("id").GetString()!;

            // 1. The first email reaches SendGrid, which does not answer; the process dies right then.
            var held = _sendGrid.HoldResponses();
            var run = RunAsync(http);
            var first = await held.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            await _handler.KillAsync();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => run);
            _sendGrid.Release();
            Assert.Empty(_sendGrid.AcceptedRequests);
            Assert.Single(_sendGrid.Requests);
            _heldKey = KeyOf(first);
        }

        // 2. A new process: its runs find the lease held until it expires, then drain the outbox.
        await _handler.DisposeAsync();
        _handler = await HandlerProcess.StartAsync(_environment);
        using var client = _handler.CreateClient();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        var runs = 0;
        while (_sendGrid.AcceptedRequests.Count == 0 || await UnsentAsync(client) > 0)
        {
            Assert.True(DateTime.UtcNow < until, $"the outbox never drained after {runs} run(s); the stub saw {_sendGrid.Requests.Count} request(s)\n{_handler.Output}");
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            using var response = await RunAsync(client);
            Assert.True(response.IsSuccessStatusCode, $"CheckDeadlines answered {(int)response.StatusCode}");
            runs++;
        }

        // 3. A further run sends nothing.
        var before = _sendGrid.Requests.Count;
        using (var again = await RunAsync(client))
        {
            Assert.True(again.IsSuccessStatusCode);
        }

        var decided = await DecidedAsync(client);
        Assert.Equal(before, _sendGrid.Requests.Count);
        Assert.Contains(_heldKey, decided.Keys);
        Assert.True(decided.Count >= 4, $"expected step 1 of each of the three units and the digest, decided: {string.Join(", ", decided.Keys)}");
        Assert.All(decided, d => Assert.Equal("sent", d.Value));
        foreach (var key in decided.Keys)
        {
            var taken = _sendGrid.AcceptedRequests.Count(r => KeyOf(r) == key);
            var handedOver = _sendGrid.Requests.Count(r => KeyOf(r) == key);
            Assert.True(taken >= 1, $"{key} was never taken by SendGrid (lost)");
            Assert.True(handedOver <= 2, $"{key} was handed over {handedOver} times");
        }

        Assert.Equal(2, _sendGrid.Requests.Count(r => KeyOf(r) == _heldKey));
        Assert.Equal(decided.Count + 1, _sendGrid.Requests.Count);
        Assert.All(_sendGrid.Requests, r => Assert.Contains(KeyOf(r), decided.Keys));
    }

    private static string KeyOf(SendGridRequest request) => request.CustomArgs[SendGridEmailTransport.IdempotencyKeyArgument];

    private static Task<HttpResponseMessage> RunAsync(HttpClient http)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = InvocationPayloads.ForTimer("CheckDeadlines", "timer", null, now.AddMinutes(5), false, now);
        return http.PostAsJsonAsync("CheckDeadlines", payload, Ct);
    }

    private static async Task<int> UnsentAsync(HttpClient http)
    {
        using var response = await new OfficeClient(http).SendAsync(HttpMethod.Get, "api/outbox");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetArrayLength();
    }

    /// <summary>Every email the checks decided (the directive's and the office's digest), by id, with its state.</summary>
    private async Task<Dictionary<string, string>> DecidedAsync(HttpClient http)
    {
        var office = new OfficeClient(http);
        using var ladders = await office.SendAsync(HttpMethod.Get, $"api/outbox?scope={_directiveId}");
        using var digests = await office.SendAsync(HttpMethod.Get, "api/outbox?scope=office");
        var emails = (await ladders.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray()
            .Concat((await digests.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        return emails.ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("state").GetString()!);
    }
}
