using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Pages;

/// <summary>
/// The new-directive form posted twice (a double press, a resubmitted post) creates one directive
/// and both answers show its board; posted with other content after it created one, it says so,
/// links to it and gets a fresh token. A number already used that year is shown with the directive
/// that carries it (number, date, subject, link) and needs a second press — for that number.
/// </summary>
public sealed partial class NewDirectiveRetryFormTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly EscalationHarness _h = new(storage);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _h.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private static Dictionary<string, string> Form(string key, string number = "643-CV/ĐU", string title = "Mở tài khoản ngân hàng đứng tên tổ chức đảng") => new()
    {
        ["action"] = "create",
        ["idempotencyKey"] = key,
        ["number"] = number,
        ["issuedOn"] = "05/03/2026",
        ["issuer"] = "Đảng ủy UBND tỉnh",
        ["subject"] = "Triển khai dịch vụ công của Đảng",
        ["tasks[0].title"] = title,
        ["tasks[0].kind"] = "confirmation",
        ["tasks[0].deadline"] = "31/03/2026",
        ["tasks[0].units"] = "chi-bo-b",
    };

    private async Task<List<JsonElement>> DirectivesAsync()
    {
        using var response = await _h.Office.SendAsync(HttpMethod.Get, "api/directives");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.EnumerateArray().ToList();
    }

    private static string Hidden(string html, string name) =>
        Regex.Match(html, $"name=\"{name}\" value=\"([^\"]*)\"").Groups[1].Value;

    [Fact]
    public async Task The_form_carries_its_own_token_and_posted_twice_creates_one_directive_whose_board_both_answers_show()
    {
        var (_, blank) = await _h.PageAsync("office/directives/new");
        var (_, another) = await _h.PageAsync("office/directives/new");
        var key = Hidden(blank, "idempotencyKey");
        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.NotEqual(key, Hidden(another, "idempotencyKey"));

        var posts = await Task.WhenAll(_h.PostFormAsync("office/directives/new", Form(key)), _h.PostFormAsync("office/directives/new", Form(key)));
        using var again = await _h.PostFormAsync("office/directives/new", Form(key));

        Assert.All(posts.Append(again), p => Assert.Equal(HttpStatusCode.SeeOther, p.StatusCode));
        Assert.Single(posts.Append(again).Select(p => p.Headers.Location!.OriginalString).Distinct());
        var directive = Assert.Single(await DirectivesAsync());
        Assert.StartsWith($"/office/directives/{directive.GetProperty("id").GetString()}", posts[0].Headers.Location!.OriginalString, StringComparison.Ordinal);
        foreach (var p in posts)
        {
            p.Dispose();
        }
    }

    [Fact]
    public async Task The_form_posted_with_other_content_after_it_created_a_directive_links_to_it_and_creates_nothing_until_pressed_again()
    {
        using var created = await _h.PostFormAsync("office/directives/new", Form("bieu-mau-1"));
        using var changed = await _h.PostFormAsync("office/directives/new", Form("bieu-mau-1", "644-CV/ĐU", "Việc khác"));
        var html = await changed.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Contains("Biểu mẫu này đã được dùng để tạo một công văn", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{created.Headers.Location!.OriginalString.Split('?')[0]}\"", html, StringComparison.Ordinal);
        Assert.Contains(">Việc khác</textarea>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"644-CV/ĐU\"", html, StringComparison.Ordinal);
        var fresh = Hidden(html, "idempotencyKey");
        Assert.NotEqual("bieu-mau-1", fresh);
        Assert.Single(await DirectivesAsync());

        using var pressedAgain = await _h.PostFormAsync("office/directives/new", Form(fresh, "644-CV/ĐU", "Việc khác"));
        Assert.Equal(HttpStatusCode.SeeOther, pressedAgain.StatusCode);
        Assert.Equal(2, (await DirectivesAsync()).Count);
    }

    [Fact]
    public async Task A_number_already_used_that_year_is_shown_with_its_directive_and_needs_a_second_press_for_that_number()
    {
        using var first = await _h.PostFormAsync("office/directives/new", Form("mot"));
        var board = first.Headers.Location!.OriginalString.Split('?')[0];

        using var warned = await _h.PostFormAsync("office/directives/new", Form("hai", "643 - cv/đu"));
        var html = await warned.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, warned.StatusCode);
        Assert.Single(await DirectivesAsync());
        Assert.Contains("Số công văn “643 - cv/đu” đã có:", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{board}\">Công văn số 643-CV/ĐU ngày 05/03/2026</a>", html, StringComparison.Ordinal);
        Assert.Contains("“Triển khai dịch vụ công của Đảng”", html, StringComparison.Ordinal);
        Assert.Equal("643-cv/du", Hidden(html, "sameNumberSeen"));
        Assert.Equal("hai", Hidden(html, "idempotencyKey"));

        // Confirmed for that number only: another used number is asked about again.
        using var third = await _h.PostFormAsync("office/directives/new", Form("ba", "700-CV/ĐU"));
        var otherNumber = Form("hai", "700-CV/ĐU");
        otherNumber["sameNumberSeen"] = "643-cv/du";
        using var askedAgain = await _h.PostFormAsync("office/directives/new", otherNumber);
        Assert.Equal(HttpStatusCode.OK, askedAgain.StatusCode);
        Assert.Contains("Số công văn “700-CV/ĐU” đã có:", await askedAgain.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var confirmed = Form("hai", "643 - cv/đu");
        confirmed["sameNumberSeen"] = "643-cv/du";
        using var created = await _h.PostFormAsync("office/directives/new", confirmed);
        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        Assert.Equal(3, (await DirectivesAsync()).Count);
    }
}
