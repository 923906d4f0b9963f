using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// The submission path that reads (almost) nothing: a rendered form's own key makes a double post
/// one version; without a key, a repeat just across a 30-second window boundary is still found; the
/// state answered after a post is the one the whole history gives, including a late correction.
/// Real handler and Azurite, on a fake clock.
/// </summary>
public sealed partial class SubmissionPathTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 20, 9, 0, 29, Vn).AddMilliseconds(500));
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;
    private string _token = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), services: s => s.AddSingleton<TimeProvider>(_clock));
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
        _token = OfficeClient.TokenFor(await _office.RegisterAsync("2026-02-25", "dang-bo-a"), "dang-bo-a");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<JsonElement> PostAsync(HttpContent content, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{_token}/tasks/t1", UriKind.Relative)) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await _office.Http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Posting_the_same_rendered_form_twice_stores_one_version()
    {
        var page = await _office.Http.GetStringAsync(new Uri($"u/{_token}", UriKind.Relative), Ct);
        var key = FormKey().Match(page).Groups[1].Value;
        Assert.Matches("^[0-9a-f]{32}$", key);
        Dictionary<string, string> Form() => new() { ["idempotencyKey"] = key, ["status"] = "done", ["note"] = "Đã gửi" };

        var first = await PostAsync(new FormUrlEncodedContent(Form()), HttpStatusCode.Created);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var again = await PostAsync(new FormUrlEncodedContent(Form()), HttpStatusCode.OK);

        Assert.Equal(first.GetProperty("versionId").GetString(), again.GetProperty("versionId").GetString());
        Assert.True(again.GetProperty("repeated").GetBoolean());
        Assert.NotEqual(key, FormKey().Match(await _office.Http.GetStringAsync(new Uri($"u/{_token}", UriKind.Relative), Ct)).Groups[1].Value);
    }

    [Fact]
    public async Task Without_a_key_the_same_content_one_second_later_across_a_window_boundary_is_the_same_version()
    {
        var first = await PostAsync(JsonContent.Create(new { status = "in-progress", note = "Đang tổng hợp" }), HttpStatusCode.Created);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var again = await PostAsync(JsonContent.Create(new { status = "in-progress", note = "Đang tổng hợp" }), HttpStatusCode.OK);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var later = await PostAsync(JsonContent.Create(new { status = "in-progress", note = "Đang tổng hợp" }), HttpStatusCode.Created);

        Assert.Equal(first.GetProperty("versionId").GetString(), again.GetProperty("versionId").GetString());
        Assert.NotEqual(first.GetProperty("versionId").GetString(), later.GetProperty("versionId").GetString());
    }

    [Fact]
    public async Task The_state_after_a_post_is_the_histories_a_late_correction_keeps_an_on_time_completion()
    {
        var done = await PostAsync(JsonContent.Create(new { status = "done", note = "Xong" }), HttpStatusCode.Created);
        Assert.Equal("submitted-on-time", done.GetProperty("state").GetString());

        _clock.SetUtcNow(new DateTimeOffset(2026, 2, 27, 9, 0, 0, Vn));
        var correction = await PostAsync(JsonContent.Create(new { status = "done", note = "Xong, bổ sung danh sách" }), HttpStatusCode.Created);
        Assert.Equal("submitted-on-time", correction.GetProperty("state").GetString());

        var reopened = await PostAsync(JsonContent.Create(new { status = "in-progress", note = "Làm lại" }), HttpStatusCode.Created);
        Assert.Equal("overdue", reopened.GetProperty("state").GetString());
        _clock.Advance(TimeSpan.FromMinutes(1));
        var lateDone = await PostAsync(JsonContent.Create(new { status = "done", note = "Xong lần hai" }), HttpStatusCode.Created);
        Assert.Equal("submitted-late", lateDone.GetProperty("state").GetString());
    }

    [GeneratedRegex("name=\"idempotencyKey\" value=\"([^\"]+)\"")]
    private static partial Regex FormKey();
}
