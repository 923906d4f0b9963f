using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Pages;

/// <summary>Pages as people get them: Vietnamese, safe with hostile text, the headers every page carries, and the same address answering people and programs each in their form.</summary>
public sealed class PageTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private readonly HandlerApp _app = new(storage.ConnectionString, StorageFixture.NewPrefix());
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept, bool office = false)
    {
        using var request = OfficeClient.Request(HttpMethod.Get, path, key: office ? HandlerApp.OfficeKey : null);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await _office.Http.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_hostile_unit_name_is_text_on_the_board_while_Vietnamese_letters_stay_letters()
    {
        await _office.PutUnitAsync("hostile", "<script>alert(1)</script> Chi bộ \"Đống Đa\"", 4, "dang-bo-a");
        var registered = await _office.RegisterAsync("2099-12-31", "hostile");

        using var board = await GetAsync($"office/directives/{registered.GetProperty("id").GetString()}", Browser, office: true);
        var html = await board.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, board.StatusCode);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Chi bộ &quot;Đống Đa&quot;", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"vi\">", html, StringComparison.Ordinal);
        var policy = board.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'sha256-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", board.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task A_units_address_answers_a_browser_with_its_page_and_a_program_with_json()
    {
        var token = OfficeClient.TokenFor(await _office.RegisterAsync(), "chi-bo-b");

        using var page = await GetAsync($"u/{token}", Browser);
        using var bare = await GetAsync($"u/{token}", null);
        using var json = await GetAsync($"u/{token}", "application/json");

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/html", bare.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        var body = await json.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("chi-bo-b", body.GetProperty("unit").GetProperty("id").GetString());
        Assert.Equal("pending", body.GetProperty("tasks")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_reports_address_answers_a_program_with_json_unless_it_asks_for_a_page()
    {
        using var filed = await _office.Http.PostAsJsonAsync("api/error-reports", new { memberName = "Nguyễn Văn An", unitName = "Chi bộ A", field = "Ngày sinh", correctValue = "02/03/1980", contact = "0912345678", consent = true }, Ct);
        var code = (await filed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString();

        using var bare = await GetAsync($"api/error-reports/{code}", null);
        using var page = await GetAsync($"api/error-reports/{code}", Browser);

        Assert.Equal("application/json", bare.Content.Headers.ContentType?.MediaType);
        Assert.Equal("new", (await bare.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Mới tiếp nhận", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_address_is_a_vietnamese_page_for_a_browser_and_a_problem_with_a_code_for_a_program()
    {
        using var page = await GetAsync("khong-co-trang-nay", Browser);
        using var problem = await GetAsync("khong-co-trang-nay", null);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Không tìm thấy trang", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, problem.StatusCode);
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
        Assert.Equal("not-found", (await problem.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_directives_counts_by_state_and_its_units_escalation_use_the_wire_names()
    {
        var registered = await _office.RegisterAsync("2020-01-31", "chi-bo-b");

        using var response = await _office.SendAsync(HttpMethod.Get, $"api/directives/{registered.GetProperty("id").GetString()}");
        var directive = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(["pending", "submitted-on-time", "submitted-late", "overdue"], directive.GetProperty("summary").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, directive.GetProperty("summary").GetProperty("overdue").GetInt32());
        var unit = directive.GetProperty("tasks")[0].GetProperty("units")[0];
        Assert.Equal("overdue", unit.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Array, unit.GetProperty("escalation").ValueKind);
    }
}
