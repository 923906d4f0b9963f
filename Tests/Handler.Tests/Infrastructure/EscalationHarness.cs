using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Functions.Hosting.Invocations;

namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>
/// The real handler on a fake clock (Vietnam time), a real Azurite and a local SendGrid stub, for the
/// deadline check end to end: the seeded units (<see cref="OfficeClient.SeedUnitsAsync"/>), runs of
/// CheckDeadlines as the host posts them, and the office's views of the ladders and the outbox.
/// Settings start from a sender, the office's address and the committees' list; a test changes them
/// before <see cref="StartAsync"/>. Storage is the shared Azurite, or one of the test's own.
/// </summary>
public sealed class EscalationHarness(string storageConnectionString) : IAsyncDisposable
{
    public static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    private HandlerApp? _app;

    public EscalationHarness(StorageFixture storage)
        : this(storage.ConnectionString)
    {
    }

    /// <summary>The handler's clock: 20/02/2026 09:00 (Vietnam) unless a test starts it earlier with <see cref="StartClockAt"/> before anything runs.</summary>
    public FakeTimeProvider Clock { get; private set; } = new(new DateTimeOffset(2026, 2, 20, 9, 0, 0, Vn));

    /// <summary>Starts the clock at <paramref name="at"/> instead (a fake clock only moves forward); before <see cref="StartAsync"/>.</summary>
    public void StartClockAt(DateTimeOffset at) =>
        Clock = _app is null ? new FakeTimeProvider(at) : throw new InvalidOperationException("The handler has started with the clock it has.");

    public SendGridStub SendGrid { get; private set; } = null!;

    /// <summary>More services for the handler (a storage client with faults, say); set before <see cref="StartAsync"/>.</summary>
    public Action<IServiceCollection>? Services { get; set; }

    public OfficeClient Office { get; private set; } = null!;

    public HandlerApp App => _app ?? throw new InvalidOperationException("Not started.");

    public Dictionary<string, string?> Settings { get; } = new()
    {
        ["Email:From"] = "Văn phòng Đảng ủy <no-reply@example.invalid>",
        ["Email:Office"] = "vanphong@example.invalid",
        ["Escalation:Recipients"] = "btv@example.invalid, ubkt@example.invalid",

        // The ladder's mechanics in calendar days, any day of the week: the working-day calendar's own
        // effect on the ladder is WorkingDayLadderTests' subject (they remove these two).
        ["Calendar:CountDaysIn"] = "calendar-days",
        ["Escalation:SendOnDaysOff"] = "true",

        // The ladder's emails only: the units' notices of their tasks and links are UnitNoticesTests' subject (they set it back).
        ["Escalation:TellUnits"] = "false",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static DateTimeOffset Vietnam(int month, int day, int hour, int minute = 0, int year = 2026) => new(year, month, day, hour, minute, 0, Vn);

    public async Task StartAsync(bool seed = true)
    {
        SendGrid = await SendGridStub.StartAsync();
        Settings.TryAdd("SendGrid:ApiKey", SendGrid.ApiKey);
        Settings["SendGrid:Host"] = SendGrid.BaseAddress.ToString();
        _app = new HandlerApp(storageConnectionString, StorageFixture.NewPrefix(), Settings, services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            Services?.Invoke(services);
        });
        Office = new OfficeClient(_app.Start());
        if (seed)
        {
            await Office.SeedUnitsAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (SendGrid is not null)
        {
            await SendGrid.DisposeAsync();
        }
    }

    /// <summary>A directive with one task per deadline, all assigned to <paramref name="units"/>; the 201 answer.</summary>
    public async Task<JsonElement> RegisterAsync(string[] deadlines, string[] units, bool remind = true)
    {
        using var response = await Office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "643-CV/ĐU",
            issuedOn = "2026-02-05",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Triển khai dịch vụ công của Đảng",
            tasks = deadlines.Select((d, i) => new { title = $"Nhiệm vụ số {i + 1}", kind = "confirmation", deadline = d, units, remind }).ToArray(),
        });
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>One CheckDeadlines invocation at the clock's time, as the host posts it: the handler's answer.</summary>
    public Task<HttpResponseMessage> InvokeAsync()
    {
        var payload = InvocationPayloads.ForTimer("CheckDeadlines", "timer", null, Clock.GetUtcNow().AddMinutes(5), false, Clock.GetUtcNow());
        return Office.Http.PostAsJsonAsync("CheckDeadlines", payload, Ct);
    }

    /// <summary>One CheckDeadlines invocation at the clock's time, as the host posts it; it must succeed.</summary>
    public async Task RunAsync()
    {
        using var response = await InvokeAsync();
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Sets the clock and runs; the emails SendGrid received during the run.</summary>
    public async Task<List<SendGridRequest>> RunAtAsync(DateTimeOffset at, int concurrently = 1)
    {
        Clock.SetUtcNow(at);
        var before = SendGrid.Requests.Count;
        await Task.WhenAll(Enumerable.Range(0, concurrently).Select(_ => RunAsync()));
        return SendGrid.Requests.Skip(before).ToList();
    }

    public List<SendGridRequest> MailsTo(string address) => SendGrid.Requests.Where(r => r.To.Any(t => t.Email == address)).ToList();

    public static string KeyOf(SendGridRequest request) => request.CustomArgs[SendGridEmailTransport.IdempotencyKeyArgument];

    public static string TextOf(SendGridRequest request) => request.Contents.Single(c => c.Type == "text/plain").Value;

    public async Task<JsonElement> EscalationsAsync(JsonElement directive)
    {
        using var response = await Office.SendAsync(HttpMethod.Get, $"api/directives/{directive.GetProperty("id").GetString()}/escalations");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>Every email decided for <paramref name="scope"/> (a directive's id, or <c>office</c>).</summary>
    public async Task<List<JsonElement>> OutboxAsync(string scope)
    {
        using var response = await Office.SendAsync(HttpMethod.Get, $"api/outbox?scope={scope}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().ToList();
    }

    /// <summary>An office page, as the office's browser asks for it (with the key header instead of the cookie).</summary>
    public async Task<(HttpStatusCode Status, string Html)> PageAsync(string path)
    {
        using var request = OfficeClient.Request(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await Office.Http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Posts an office form (the key header stands for the session: no form token needed); the answer, not followed.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> form)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = App.BaseAddress };
        using var request = OfficeClient.Request(HttpMethod.Post, path);
        request.Headers.Accept.ParseAdd("text/html");
        request.Content = new FormUrlEncodedContent(form);
        return await client.SendAsync(request, Ct);
    }

    public static string Day(DateTimeOffset at) => VietnamTimeText(at, "dd/MM/yyyy");

    public static string VietnamTimeText(DateTimeOffset at, string format) => at.ToOffset(Vn).ToString(format, CultureInfo.InvariantCulture);
}
