using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// The public forms are rate-limited per client: past the limit a flood of error reports or
/// sign-in attempts is answered 429 with Retry-After, in Vietnamese, and stores nothing; another
/// client (as the host's X-Forwarded-For names it) keeps its own allowance.
/// </summary>
public sealed class RateLimitTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly HandlerApp _app = new(storage.ConnectionString, StorageFixture.NewPrefix(), new Dictionary<string, string?>
    {
        ["RateLimits:ErrorReportsPerMinute"] = "3",
        ["RateLimits:SignInsPerMinute"] = "4",
    });

    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _http = Visitor.Client(_app.BaseAddress);
        _app.Start().Dispose();
        await _app.AddAccountAsync("vanphong", OfficeRole.VanPhong);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<HttpResponseMessage> FileAsync(int i, string client, string accept = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/error-reports", UriKind.Relative))
        {
            Content = JsonContent.Create(new { memberName = "Người " + i, unitName = "Chi bộ", field = "Ngày sinh", correctValue = "01/01/1980", contact = "09000000" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), consent = true }),
        };
        request.Headers.Add("X-Forwarded-For", client);
        request.Headers.Accept.ParseAdd(accept);
        return await _http.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_flood_of_error_reports_from_one_client_is_answered_429_with_Retry_After_and_stores_nothing_more()
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await FileAsync(i, "203.0.113.7");
            answers.Add(response.StatusCode);
        }

        using var refused = await FileAsync(99, "203.0.113.7");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var page = await FileAsync(98, "203.0.113.7", "text/html");
        using var otherClient = await FileAsync(7, "198.51.100.9");
        using var list = await new OfficeClient(_http).SendAsync(HttpMethod.Get, "api/error-reports");

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Created, 3), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], answers);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("too-many-requests", problem.GetProperty("code").GetString());
        Assert.Contains("Có quá nhiều yêu cầu", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("Xin chờ", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, otherClient.StatusCode);
        Assert.Equal(4, (await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetArrayLength());
    }

    [Fact]
    public async Task A_flood_of_sign_in_attempts_is_answered_429_even_with_the_right_password()
    {
        var visitor = new Visitor();
        using var page = await visitor.SendAsync(_http, HttpMethod.Get, "office/login");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var wrong = await SignInAsync(visitor, "sai-" + i);
            answers.Add(wrong.StatusCode);
        }

        using var right = await SignInAsync(visitor, HandlerApp.Password);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.Contains("Retry-After"));
        Assert.False(visitor.Cookies.ContainsKey("office"));
    }

    private async Task<HttpResponseMessage> SignInAsync(Visitor visitor, string password)
    {
        using var request = visitor.Request(HttpMethod.Post, "office/login", new() { ["csrf"] = visitor.FormToken!, ["name"] = "vanphong-" + password.Length, ["password"] = password });
        request.Headers.Add("X-Forwarded-For", "203.0.113.8");
        var response = await _http.SendAsync(request, Ct);
        visitor.Remember(response);
        return response;
    }
}
