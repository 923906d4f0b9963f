using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Tests.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Faults;

/// <summary>
/// Storage that hangs instead of refusing: Azurite frozen with SIGSTOP, so connections open and no
/// answer ever comes (a stopped Azurite, in <see cref="StorageOutageTests"/>, refuses at once). Pages
/// and API requests answer 503 with Retry-After within 5 s; a CheckDeadlines run and an
/// ImportStatistics invocation fail within a bounded time (the host retries); nothing is
/// half-written, and once storage answers again the next run sends what fell due, once. The
/// frozen Azurite is resumed by its handle, and by its disposal if a test fails first.
/// </summary>
public sealed class HangingStorageTests
{
    private static readonly TimeSpan PageBudget = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan InvocationBudget = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pages_and_API_requests_while_storage_hangs_answer_503_with_Retry_After_within_5_seconds_and_write_nothing_half()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var app = new HandlerApp(azurite.ConnectionString, StorageFixture.NewPrefix());
        var office = new OfficeClient(app.Start());
        await office.SeedUnitsAsync();
        var directive = await office.RegisterAsync("2099-12-31", "dang-bo-a", "chi-bo-b");
        var id = directive.GetProperty("id").GetString()!;
        var token = OfficeClient.TokenFor(directive, "chi-bo-b");
        using var browser = Visitor.Client(app.BaseAddress);
        var clerk = new Visitor();
        await app.AddAccountAsync("vanphong", ServerlessWorkflow.Domain.Accounts.OfficeRole.VanPhong);
        await clerk.SignInAsync(browser, "vanphong");
        using (var board = await clerk.SendAsync(browser, HttpMethod.Get, $"office/directives/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, board.StatusCode);
        }

        List<(string What, HttpStatusCode Status, bool RetryAfter, string? Type, TimeSpan Took)> answers;
        await using (await azurite.PauseAsync())
        {
            answers = [.. await Task.WhenAll(
                TimedAsync("the office's board (page)", () => browser.SendAsync(clerk.Request(HttpMethod.Get, $"office/directives/{id}"), Ct)),
                TimedAsync("the outbox (page)", () => browser.SendAsync(clerk.Request(HttpMethod.Get, "office/outbox"), Ct)),
                TimedAsync("the directive (API)", () => office.SendAsync(HttpMethod.Get, $"api/directives/{id}")),
                TimedAsync("the unit's page", () => office.Http.GetAsync(new Uri($"u/{token}", UriKind.Relative), Ct)),
                TimedAsync("a unit's submission (API)", () => SubmitAsync(office.Http, token, "Gửi khi lưu trữ treo")))];
        }

        foreach (var a in answers)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{a.What}: {(int)a.Status} after {a.Took.TotalMilliseconds:0} ms");
        }

        Assert.All(answers, a =>
        {
            Assert.True(a.Status == HttpStatusCode.ServiceUnavailable, $"{a.What}: {(int)a.Status}");
            Assert.True(a.RetryAfter, $"{a.What}: 503 without Retry-After");
            Assert.True(a.Took < PageBudget, $"{a.What} answered after {a.Took.TotalMilliseconds:0} ms");
        });
        Assert.Equal("text/html", answers.Single(a => a.What == "the office's board (page)").Type);
        Assert.Equal("application/problem+json", answers.Single(a => a.What == "the directive (API)").Type);

        // Storage answers again: everything works, and the submission cut by the hang is whole or absent.
        Assert.True(await Eventually.TrueAsync(() => StatusOf(office.Http, $"u/{token}") == HttpStatusCode.OK, TimeSpan.FromSeconds(30)));
        using var again = await SubmitAsync(office.Http, token, "Gửi lại khi lưu trữ đã trả lời");
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var history = await HistoryAsync(office.Http, token);
        Assert.Contains(history, h => h.Note == "Gửi lại khi lưu trữ đã trả lời" && h.Attachments == 1);
        Assert.All(history, h => Assert.Equal(1, h.Attachments));
    }

    [Fact]
    public async Task CheckDeadlines_and_ImportStatistics_fail_within_a_bounded_time_while_storage_hangs_and_the_next_run_sends_once()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var h = new EscalationHarness(azurite.ConnectionString);
        await h.StartAsync();
        await h.Office.RegisterAsync("Trước ngày 26/02/2026", "chi-bo-b");
        h.Clock.SetUtcNow(EscalationHarness.Vietnam(2, 26, 8));

        TimeSpan timerTook, blobTook;
        await using (await azurite.PauseAsync())
        {
            var timer = await TimedAsync("CheckDeadlines", h.InvokeAsync);
            var blob = await TimedAsync("ImportStatistics", () => ImportAsync(h.Office.Http, h.Clock));
            Assert.True(timer.Status >= HttpStatusCode.InternalServerError, $"CheckDeadlines answered {(int)timer.Status} while storage hung");
            Assert.True(blob.Status >= HttpStatusCode.InternalServerError, $"ImportStatistics answered {(int)blob.Status} while storage hung");
            (timerTook, blobTook) = (timer.Took, blob.Took);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"CheckDeadlines failed after {timerTook.TotalMilliseconds:0} ms, ImportStatistics after {blobTook.TotalMilliseconds:0} ms");
        Assert.True(timerTook < InvocationBudget, $"CheckDeadlines failed after {timerTook.TotalSeconds:0.0} s");
        Assert.True(blobTook < InvocationBudget, $"ImportStatistics failed after {blobTook.TotalSeconds:0.0} s");
        Assert.Empty(h.SendGrid.Requests);

        Assert.True(await Eventually.TrueAsync(() => StatusOf(h.Office.Http, "api/health") == HttpStatusCode.OK, TimeSpan.FromSeconds(30)));
        await h.RunAsync();
        await h.RunAsync();

        // Step 1 to the unit and the office's digest, each once.
        Assert.Single(h.SendGrid.Requests, r => r.To.Any(t => t.Email == "chi-bo-b@example.invalid"));
        Assert.Single(h.SendGrid.Requests, r => r.Subject!.StartsWith("Tổng hợp ngày 26/02/2026", StringComparison.Ordinal));
        var keys = h.SendGrid.Requests.Select(EscalationHarness.KeyOf).ToList();
        Assert.Equal(2, keys.Distinct().Count());
        Assert.Equal(2, keys.Count);
    }

    private static async Task<(string What, HttpStatusCode Status, bool RetryAfter, string? Type, TimeSpan Took)> TimedAsync(string what, Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        using var response = await send();
        clock.Stop();
        return (what, response.StatusCode, response.Headers.RetryAfter is not null, response.Content.Headers.ContentType?.MediaType, clock.Elapsed);
    }

    private static HttpStatusCode StatusOf(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = http.Send(request, Ct);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient http, string token, string note)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent("done"), "status" },
            { new StringContent(note), "note" },
            { new ByteArrayContent(new byte[64 * 1024]), "files", "bien-ban.pdf" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{token}/tasks/t1", UriKind.Relative)) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return await http.SendAsync(request, Ct);
    }

    private static async Task<List<(string Note, int Attachments)>> HistoryAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"u/{token}", UriKind.Relative));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request, Ct);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return page.GetProperty("tasks")[0].GetProperty("history").EnumerateArray()
            .Select(h => (h.GetProperty("note").GetString() ?? string.Empty, h.GetProperty("attachments").GetInt32())).ToList();
    }

    /// <summary>ImportStatistics for an upload it must read from and write to storage, as the host posts it.</summary>
    private static Task<HttpResponseMessage> ImportAsync(HttpClient http, TimeProvider clock)
    {
        var content = new XlsxFixture().Sheet("Báo cáo", XlsxFixture.Template(XlsxFixture.Figures(3))).Build();
        const string name = "d2345678abcde/chi-bo-b/20260226010000000-0123abcd.xlsx";
        var payload = InvocationPayloads.ForBlob("ImportStatistics", "blob", $"uploads/{name}", new Dictionary<string, string> { ["name"] = name }, new Uri("http://127.0.0.1/uploads/" + name), new BlobTriggerProperties(null, content.Length, null, null), content, clock.GetUtcNow());
        return http.PostAsJsonAsync("ImportStatistics", payload, Ct);
    }
}
