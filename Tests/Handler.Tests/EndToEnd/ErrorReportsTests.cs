using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>The public error-report form and API, and the office's queue, against the running handler and Azurite.</summary>
public sealed class ErrorReportsTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly HandlerApp _app = new(storage.ConnectionString, StorageFixture.NewPrefix());
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Report(string correct = "12/03/1980") => new
    {
        memberName = "Nguyễn Văn A",
        unitName = "Chi bộ Phòng Tổng hợp",
        field = "Ngày sinh",
        currentValue = "12/03/1908",
        correctValue = correct,
        contact = "0900 000 000",
        consent = true,
    };

    public ValueTask InitializeAsync()
    {
        _office = new OfficeClient(_app.Start());
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Filing_a_report_as_json_answers_201_with_a_code_the_reporter_can_check_without_seeing_personal_data()
    {
        using var filed = await _office.Http.PostAsJsonAsync("api/error-reports", Report(), Ct);
        var code = (await filed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString()!;
        using var status = await _office.Http.GetAsync(new Uri($"api/error-reports/{code.ToLowerInvariant()}", UriKind.Relative), Ct);
        var body = await status.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        Assert.Matches("^[A-HJ-NP-Z2-9]{8}$", code);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Contains("\"status\":\"new\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Nguyễn Văn A", body, StringComparison.Ordinal);
        Assert.DoesNotContain("0900", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_report_filed_twice_the_same_day_folds_into_one_and_a_different_one_does_not()
    {
        using var first = await _office.Http.PostAsJsonAsync("api/error-reports", Report(), Ct);
        using var again = await _office.Http.PostAsJsonAsync("api/error-reports", Report(), Ct);
        using var other = await _office.Http.PostAsJsonAsync("api/error-reports", Report("13/03/1980"), Ct);
        using var list = await _office.SendAsync(HttpMethod.Get, "api/error-reports");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(
            (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString(),
            (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal(2, (await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetArrayLength());
    }

    [Fact]
    public async Task Five_identical_reports_at_once_make_one_report()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _office.Http.PostAsJsonAsync("api/error-reports", Report(), Ct)));
        using var list = await _office.SendAsync(HttpMethod.Get, "api/error-reports");

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        Assert.Single((await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task The_public_form_posts_and_redirects_to_a_page_showing_the_tracking_code()
    {
        using var form = await _office.Http.GetAsync(new Uri("bao-sai-sot", UriKind.Relative), Ct);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = _app.BaseAddress };
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("api/error-reports", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["memberName"] = "Trần Thị B", ["unitName"] = "Chi bộ 2", ["field"] = "Nơi cư trú", ["currentValue"] = "", ["correctValue"] = "Phường Đống Đa", ["contact"] = "b@example.invalid", ["consent"] = "yes",
            }),
        };
        post.Headers.Accept.ParseAdd("text/html");

        using var posted = await browser.SendAsync(post, Ct);
        using var page = await _office.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(posted.Headers.Location!.OriginalString.TrimStart('/'), UriKind.Relative)) { Headers = { { "Accept", "text/html" } } }, Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("name=\"correctValue\"", await form.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.Contains("Mã theo dõi:", html, StringComparison.Ordinal);
        Assert.Contains("Mới tiếp nhận", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_with_missing_fields_is_shown_again_with_vietnamese_errors_and_the_values_typed()
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("api/error-reports", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["memberName"] = "<script>x</script>" }),
        };
        post.Headers.Accept.ParseAdd("text/html");

        using var response = await _office.Http.SendAsync(post, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Trường này là bắt buộc", html, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;script&gt;x&lt;/script&gt;\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>x", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_office_filters_by_status_and_moves_a_report_along_its_workflow()
    {
        using var filed = await _office.Http.PostAsJsonAsync("api/error-reports", Report(), Ct);
        var code = (await filed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString();

        using var skip = await _office.SendAsync(HttpMethod.Post, $"api/error-reports/{code}/status", new { status = "resolved", note = "x" });
        using var take = await _office.SendAsync(HttpMethod.Post, $"api/error-reports/{code}/status", new { status = "in-progress" });
        using var done = await _office.SendAsync(HttpMethod.Post, $"api/error-reports/{code}/status", new { status = "resolved", note = "Đã sửa trên CSDL đảng viên 4.0" });
        using var resolved = await _office.SendAsync(HttpMethod.Get, "api/error-reports?status=resolved");
        using var fresh = await _office.SendAsync(HttpMethod.Get, "api/error-reports?status=new");
        using var badFilter = await _office.SendAsync(HttpMethod.Get, "api/error-reports?status=new'%20or%20'1'%20eq%20'1");

        Assert.Equal(HttpStatusCode.Conflict, skip.StatusCode);
        Assert.Equal(HttpStatusCode.OK, take.StatusCode);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var item = Assert.Single((await resolved.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        Assert.Equal("Nguyễn Văn A", item.GetProperty("memberName").GetString());
        Assert.Equal("Đã sửa trên CSDL đảng viên 4.0", item.GetProperty("note").GetString());
        Assert.Equal(0, (await fresh.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
    }

    [Fact]
    public async Task The_queue_is_for_the_office_only()
    {
        using var list = await _office.SendAsync(HttpMethod.Get, "api/error-reports", key: null);
        using var move = await _office.SendAsync(HttpMethod.Post, "api/error-reports/ABCDEFGH/status", new { status = "in-progress" }, key: "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, move.StatusCode);
    }

    [Fact]
    public async Task Invalid_json_reports_get_field_problems_and_unknown_codes_404()
    {
        using var invalid = await _office.Http.PostAsJsonAsync("api/error-reports", new { memberName = new string('x', 2048), contact = "a\u0000b" }, Ct);
        using var unknown = await _office.Http.GetAsync(new Uri("api/error-reports/ZZZZZZZZ", UriKind.Relative), Ct);
        using var hostile = await _office.Http.GetAsync(new Uri("api/error-reports/%27%20or%201%3D1", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("memberName", out _));
        Assert.True(errors.TryGetProperty("contact", out _));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hostile.StatusCode);
    }
}
