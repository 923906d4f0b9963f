using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// Attacks over real HTTP that the other suites do not already cover: an expired unit link, OData
/// filter metacharacters in every user-supplied lookup, office pages and APIs without or with a
/// wrong key, and a posted submission from a link that expired. (Tampered and forged links,
/// hostile table keys, oversized bodies, CSRF, zip bombs, XXE, formula and header injection have
/// their own tests: see the README's list.)
/// </summary>
public sealed class AttackTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 20, 9, 0, 0, Vn));
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), services: s => s.AddSingleton<TimeProvider>(_clock));
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_unit_link_works_until_sixty_days_after_the_last_deadline_and_then_gets_the_same_404_as_a_forged_one()
    {
        var registered = await _office.RegisterAsync("2026-02-25", "chi-bo-b");
        var token = OfficeClient.TokenFor(registered, "chi-bo-b");
        using var forged = await _office.Http.GetAsync(new Uri("u/" + token[..^3] + "xyz", UriKind.Relative), Ct);

        _clock.SetUtcNow(new DateTimeOffset(2026, 4, 26, 23, 0, 0, Vn));
        using var lastDay = await _office.Http.GetAsync(new Uri("u/" + token, UriKind.Relative), Ct);
        _clock.SetUtcNow(new DateTimeOffset(2026, 4, 27, 0, 0, 1, Vn));
        using var expired = await _office.Http.GetAsync(new Uri("u/" + token, UriKind.Relative), Ct);
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{token}/tasks/t1", UriKind.Relative)) { Content = JsonContent.Create(new { status = "done" }) };
        using var expiredPost = await _office.Http.SendAsync(post, Ct);

        Assert.Equal(HttpStatusCode.OK, lastDay.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, expiredPost.StatusCode);
        Assert.Equal(await forged.Content.ReadAsStringAsync(Ct), await expired.Content.ReadAsStringAsync(Ct));
        using var directive = await _office.SendAsync(HttpMethod.Get, $"api/directives/{registered.GetProperty("id").GetString()}");
        var versions = (await directive.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("tasks")[0].GetProperty("units")[0].GetProperty("versions").GetInt32();
        Assert.Equal(0, versions);
    }

    [Theory]
    [InlineData("' or PartitionKey ne '")]
    [InlineData("x' or 1 eq 1 or 'a' eq 'a")]
    [InlineData("%27%20or%20true")]
    [InlineData("a')&$filter=true")]
    public async Task OData_metacharacters_in_lookups_find_nothing_and_reveal_nothing(string hostile)
    {
        // Something that a filter broken open would reveal.
        var registered = await _office.RegisterAsync();
        using var filed = await _office.SendAsync(HttpMethod.Post, "api/error-reports", new { memberName = "Nguyễn Văn An", unitName = "Chi bộ A", field = "Ngày sinh", currentValue = "1", correctValue = "2", contact = "0912345678", consent = true });
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var escaped = Uri.EscapeDataString(hostile);

        foreach (var path in new[]
        {
            $"api/error-reports/{escaped}",
            $"api/directives/{escaped}",
            $"api/directives/{escaped}/statistics",
            $"api/directives/{escaped}/escalations",
            $"api/units/{escaped}",
            $"office/directives/{escaped}",
        })
        {
            using var response = await _office.SendAsync(HttpMethod.Get, path);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed, $"{path}: {(int)response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("Nguyễn Văn An", body, StringComparison.Ordinal);
            Assert.DoesNotContain(registered.GetProperty("id").GetString()!, body, StringComparison.Ordinal);
        }

        using var list = await _office.SendAsync(HttpMethod.Get, $"api/error-reports?status={escaped}");
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
        using var statistics = await _office.SendAsync(HttpMethod.Get, $"api/directives/{registered.GetProperty("id").GetString()}/statistics?taskId={escaped}");
        Assert.Equal(HttpStatusCode.NotFound, statistics.StatusCode);
    }

    [Theory]
    [InlineData("office")]
    [InlineData("office/directives/new")]
    [InlineData("office/error-reports")]
    [InlineData("office/outbox")]
    [InlineData("office/calendar")]
    [InlineData("office/calendar/2026")]
    [InlineData("api/directives")]
    [InlineData("api/calendar/2026")]
    [InlineData("api/working-days?days=5&from=2026-02-13")]
    [InlineData("api/error-reports")]
    [InlineData("api/outbox")]
    public async Task Office_pages_and_APIs_answer_401_without_the_key_and_with_a_wrong_one(string path)
    {
        using var without = await _office.SendAsync(HttpMethod.Get, path, key: null);
        using var wrong = await _office.SendAsync(HttpMethod.Get, path, key: "office-key-for-test");

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }
}
