using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Faults;

/// <summary>
/// Personal data never reaches the logs, at any level: a whole flow — members filing error reports
/// (name, phone, email, the value on record and the right one; by JSON, by form, and one refused),
/// the office working them, one member's data exported and erased (by API and from the signed-in page), units submitting with notes, escalation emails including one SendGrid
/// refuses with the recipient's address in its error — runs with every category at Trace and a
/// provider that keeps every entry, its exception and its scopes. None of those values, and no email
/// address at all, appears in any of them.
/// </summary>
public sealed partial class PersonalDataInLogsTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    /// <summary>What must not be logged: names, phones (as typed and as digits), emails, report values, notes.</summary>
    private static readonly string[] Secrets =
    [
        "Nguyễn Thị Hồng Nhung", "Hồng Nhung", "Trần Quốc Bảo", "Lê Thị Mai",
        "0912 345 678", "0912345678", "+84 987 654 321", "987654321", "0987654321",
        "nhung.nguyen.1980@example.invalid", "bao.tran@example.invalid",
        "79.123.456", "79.123.465", "12/03/1980", "21/03/1980",
        "Đã họp chi bộ ngày 20/2", "Biên bản họp kèm theo", "Đối chiếu hồ sơ gốc", "Không thuộc chi bộ",
    ];

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 20, 9, 0, 0, Vn));
    private readonly AllLogs _logs = new();
    private SendGridStub _sendGrid = null!;
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sendGrid = await SendGridStub.StartAsync();
        _app = new HandlerApp(
            storage.ConnectionString,
            StorageFixture.NewPrefix(),
            new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Trace",
                ["Logging:LogLevel:Microsoft"] = "Trace",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
                ["Logging:LogLevel:System"] = "Trace",
                ["Logging:Console:LogLevel:Default"] = "None",
                ["SendGrid:ApiKey"] = _sendGrid.ApiKey,
                ["SendGrid:Host"] = _sendGrid.BaseAddress.ToString(),
                ["Email:From"] = "Văn phòng Đảng ủy <no-reply@example.invalid>",
                ["Email:Office"] = "vanphong@example.invalid",
                ["Escalation:Recipients"] = "btv@example.invalid, ubkt@example.invalid",
            },
            services =>
            {
                services.AddSingleton<TimeProvider>(_clock);
                services.AddSingleton<ILoggerProvider>(_logs);
            });
        _office = new OfficeClient(_app.Start());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sendGrid.DisposeAsync();
    }

    [Fact]
    public async Task A_whole_flow_logged_at_Trace_logs_no_name_phone_email_note_or_report_value()
    {
        await _office.SeedUnitsAsync();
        var directive = await _office.RegisterAsync("Trước ngày 26/02/2026", "chi-bo-b", "dang-bo-a");
        var id = directive.GetProperty("id").GetString()!;

        // Members file error reports: JSON, a browser form, and one the desk refuses (no correct value).
        using var filed = await _office.Http.PostAsJsonAsync(
            "api/error-reports",
            new { memberName = "Nguyễn Thị Hồng Nhung", unitName = "Chi bộ Văn phòng", field = "Số thẻ đảng viên", currentValue = "79.123.456", correctValue = "79.123.465", contact = "0912 345 678", consent = true },
            Ct);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var code = (await filed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString()!;
        using (var form = await PostFormAsync("api/error-reports", new()
        {
            ["memberName"] = "Trần Quốc Bảo",
            ["unitName"] = "Đảng bộ Sở Tài chính",
            ["field"] = "Ngày sinh",
            ["currentValue"] = "12/03/1980",
            ["correctValue"] = "21/03/1980",
            ["contact"] = "bao.tran@example.invalid",
            ["consent"] = "yes",
        }))
        {
            Assert.True(form.IsSuccessStatusCode, $"filing by form: {(int)form.StatusCode}"); // 303 to the status page, followed
        }

        using (var refused = await _office.Http.PostAsJsonAsync("api/error-reports", new { memberName = "Lê Thị Mai", unitName = "Chi bộ", field = "Điện thoại", contact = "+84 987 654 321" }, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        // The office works the queue.
        using (var list = await _office.SendAsync(HttpMethod.Get, "api/error-reports"))
        {
            Assert.Contains("Nguyễn Thị Hồng Nhung", await list.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var take = await _office.SendAsync(HttpMethod.Post, $"api/error-reports/{code}/status", new { status = "in-progress", note = "Đối chiếu hồ sơ gốc" }))
        {
            Assert.Equal(HttpStatusCode.OK, take.StatusCode);
        }

        using (var lookup = await _office.Http.GetAsync(new Uri($"api/error-reports/{code}", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        }

        // A member asks for their data, then for its erasure: by API and from the Board's page (signed in).
        using (var export = await _office.SendAsync(HttpMethod.Post, "api/member-data/export", new { memberName = "Trần Quốc Bảo", contact = "bao.tran@example.invalid" }))
        {
            Assert.Contains("21/03/1980", await export.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await _app.AddAccountAsync("bxdd", ServerlessWorkflow.Domain.Accounts.OfficeRole.BanXayDungDang);
        var board = new Visitor();
        using var http = Visitor.Client(_app.BaseAddress);
        await board.SignInAsync(http, "bxdd");
        using (var search = await board.SendAsync(http, HttpMethod.Get, "office/member-data"))
        using (var erase = await board.SendAsync(http, HttpMethod.Post, "office/member-data", new() { ["csrf"] = board.FormToken!, ["memberName"] = "Trần Quốc Bảo", ["contact"] = "bao.tran@example.invalid", ["action"] = "erase", ["confirm"] = "yes" }))
        {
            Assert.Contains("Đã xóa thông tin cá nhân trong 1 phản ánh", await erase.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // Units submit: one by JSON with a note, one by form with a note and a file, one refused (unknown status).
        using (var json = await _office.Http.PostAsJsonAsync($"u/{OfficeClient.TokenFor(directive, "dang-bo-a")}/tasks/t1", new { status = "done", note = "Đã họp chi bộ ngày 20/2, đồng chí Lê Thị Mai (0987654321) phụ trách" }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, json.StatusCode);
        }

        var chiBo = OfficeClient.TokenFor(directive, "chi-bo-b");
        using (var content = new MultipartFormDataContent
        {
            { new StringContent("done"), "status" },
            { new StringContent("Biên bản họp kèm theo; liên hệ nhung.nguyen.1980@example.invalid"), "note" },
            { new ByteArrayContent("biên bản"u8.ToArray()), "files", "bien-ban-Nguyen-Thi-Hong-Nhung.pdf" },
        })
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{chiBo}/tasks/t1", UriKind.Relative)) { Content = content })
        {
            request.Headers.Accept.ParseAdd("text/html");
            using var posted = await _office.Http.SendAsync(request, Ct);
            Assert.True(posted.IsSuccessStatusCode, $"submitting by form: {(int)posted.StatusCode}"); // 303 to the unit's page, followed
        }

        using (var bad = await _office.Http.PostAsJsonAsync($"u/{chiBo}/tasks/t1", new { status = "xong", note = "Không thuộc chi bộ 0912345678" }, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        // Escalation: a fresh directive left undone; SendGrid refuses the first email naming its recipient, fails the next once.
        var overdue = await _office.RegisterAsync("Trước ngày 26/02/2026", "chi-bo-a1");
        _sendGrid.Enqueue(StubResponse.BadRequest("The to address chi-bo-a1@example.invalid is on a suppression list.", "personalizations.0.to"), StubResponse.ServerError());
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 3, 8, 0, 0, Vn));
        await RunAsync();
        _clock.Advance(TimeSpan.FromHours(3));
        await RunAsync();
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 4, 8, 0, 0, Vn)); // step 2, a day after step 1 went out
        await RunAsync();
        using (var escalations = await _office.SendAsync(HttpMethod.Get, $"api/directives/{overdue.GetProperty("id").GetString()}/escalations"))
        {
            Assert.Equal(HttpStatusCode.OK, escalations.StatusCode);
        }

        using (var page = await _office.Http.GetAsync(new Uri($"u/{chiBo}", UriKind.Relative), Ct))
        {
            Assert.Contains("Biên bản họp kèm theo", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // The flow did happen and was logged verbosely: emails went out, and framework Debug/Trace entries were kept.
        Assert.True(_sendGrid.Requests.Count >= 4, $"only {_sendGrid.Requests.Count} emails reached SendGrid");
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Trace);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Debug && e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.Category.Contains("OutboxSender", StringComparison.Ordinal) && e.Text.Contains("rejected", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.Text.Contains("/api/error-reports", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.Text.Contains(id, StringComparison.Ordinal) || e.Text.Contains("/u/", StringComparison.Ordinal));

        // Nor does the audit trail (it cannot be erased): it names reports by their codes.
        using (var trail = await _office.SendAsync(HttpMethod.Get, "api/audit"))
        {
            var text = await trail.Content.ReadAsStringAsync(Ct);
            Assert.Contains("member-data-erased", text, StringComparison.Ordinal);
            Assert.All(Secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase));
        }

        var leaks = _logs.Entries
            .SelectMany(e => Secrets.Where(s => e.Text.Contains(s, StringComparison.OrdinalIgnoreCase)).Select(s => $"'{s}' in [{e.Level} {e.Category}] {e.Text}")
                .Concat(EmailAddress().Matches(e.Text).Select(m => $"address '{m.Value}' in [{e.Level} {e.Category}] {e.Text}")))
            .ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} log entries carry personal data:\n" + string.Join("\n", leaks.Take(20)));
    }

    private async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Accept.ParseAdd("text/html");
        return await _office.Http.SendAsync(request, Ct);
    }

    private async Task RunAsync()
    {
        var payload = InvocationPayloads.ForTimer("CheckDeadlines", "timer", null, _clock.GetUtcNow().AddMinutes(5), false, _clock.GetUtcNow());
        using var response = await _office.Http.PostAsJsonAsync("CheckDeadlines", payload, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();

    /// <summary>Keeps every entry at every level, formatted, with its exception and the scopes it was written in.</summary>
    private sealed class AllLogs : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConcurrentQueue<Entry> _entries = new();
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public IReadOnlyList<Entry> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        public sealed record Entry(string Category, LogLevel Level, string Text);

        private sealed class Logger(string category, AllLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<string>();
                owner._scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? string.Empty), scopes);
                var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
                owner._entries.Enqueue(new Entry(
                    category,
                    logLevel,
                    $"{formatter(state, exception)} {{{properties}}} scopes: {string.Join(" => ", scopes)}{(exception is null ? string.Empty : " " + exception)}"));
            }
        }
    }
}
