using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// Members' data as the law asks: closed reports lose the member's details when their retention has
/// run (the ApplyRetention timer, on a moved clock, run twice), one member's data is exported and
/// erased on request, the Party Building Board alone sees it, and each of those is in the audit trail
/// by the reports' codes — never by the member's name.
/// </summary>
public sealed class MemberDataTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 20, 9, 0, 0, Vn));
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), new Dictionary<string, string?> { ["ErrorReports:RetentionDays"] = "30" }, s => s.AddSingleton<TimeProvider>(_clock));
        _office = new OfficeClient(_app.Start());
        await _app.AddAccountAsync("bxdd", OfficeRole.BanXayDungDang);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<string> FileAsync(string member, string contact, string correct)
    {
        using var filed = await _office.Http.PostAsJsonAsync("api/error-reports", new { memberName = member, unitName = "Chi bộ Phòng Tổng hợp", field = "Ngày sinh", currentValue = "01/01/1980", correctValue = correct, contact, consent = true }, Ct);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        return (await filed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString()!;
    }

    private async Task MoveAsync(string code, string status, string? note = null)
    {
        using var moved = await _office.SendAsync(HttpMethod.Post, $"api/error-reports/{code}/status", new { status, note });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
    }

    private async Task<JsonElement> ReportAsync(string code)
    {
        using var list = await _office.SendAsync(HttpMethod.Get, "api/error-reports");
        return (await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().Single(r => r.GetProperty("code").GetString() == code);
    }

    private async Task RunRetentionAsync()
    {
        var payload = InvocationPayloads.ForTimer("ApplyRetention", "timer", null, _clock.GetUtcNow().AddDays(1), false, _clock.GetUtcNow());
        using var response = await _office.Http.PostAsJsonAsync("ApplyRetention", payload, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<string> TrailAsync()
    {
        using var trail = await _office.SendAsync(HttpMethod.Get, "api/audit");
        return await trail.Content.ReadAsStringAsync(Ct);
    }

    [Fact]
    public async Task A_closed_report_is_anonymised_by_the_timer_once_its_retention_has_run_and_an_open_one_is_kept()
    {
        var closed = await FileAsync("Nguyễn Văn An", "0912 345 678", "10/01/1980");
        var open = await FileAsync("Trần Thị Bình", "0987 654 321", "11/02/1981");
        await MoveAsync(closed, "in-progress");
        _clock.Advance(TimeSpan.FromDays(2));
        await MoveAsync(closed, "resolved", "Đã sửa trên CSDL đảng viên 4.0");

        _clock.Advance(TimeSpan.FromDays(29));
        await RunRetentionAsync();
        Assert.Equal("Nguyễn Văn An", (await ReportAsync(closed)).GetProperty("memberName").GetString());

        _clock.Advance(TimeSpan.FromDays(1));
        await RunRetentionAsync();
        await RunRetentionAsync();

        var anonymised = await ReportAsync(closed);
        Assert.Equal("(đã xóa)", anonymised.GetProperty("memberName").GetString());
        Assert.Equal("(đã xóa)", anonymised.GetProperty("contact").GetString());
        Assert.Equal("(đã xóa)", anonymised.GetProperty("correctValue").GetString());
        Assert.Equal("resolved", anonymised.GetProperty("status").GetString());
        Assert.Equal("Chi bộ Phòng Tổng hợp", anonymised.GetProperty("unitName").GetString());
        Assert.Equal("Trần Thị Bình", (await ReportAsync(open)).GetProperty("memberName").GetString());

        // The reporter's code still shows the outcome; the trail says it once, by code.
        using var status = await _office.Http.GetAsync(new Uri($"api/error-reports/{closed}", UriKind.Relative), Ct);
        Assert.Equal("resolved", (await status.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        var trail = await TrailAsync();
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(trail, "\"action\":\"error-reports-anonymised\""));
        Assert.Contains(closed, trail, StringComparison.Ordinal);
        Assert.DoesNotContain("Nguyễn Văn An", trail, StringComparison.Ordinal);

        // The fold row (a hash of the details) went with them; the open report's stays.
        var folds = new Azure.Data.Tables.TableServiceClient(storage.ConnectionString).GetTableClient(_app.Prefix + "errorreports")
            .QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {"fold"}"), cancellationToken: Ct);
        var codes = new List<string>();
        await foreach (var fold in folds)
        {
            codes.Add(fold.GetString("Code"));
        }

        Assert.Equal([open], codes);
    }

    [Fact]
    public async Task One_members_data_is_exported_in_full_and_erased_on_request_leaving_others_and_recording_both_by_code()
    {
        var first = await FileAsync("Lê Văn Cường", "0901 111 222", "05/05/1975");
        _clock.Advance(TimeSpan.FromDays(1));
        var second = await FileAsync("le van cuong", "0901.111.222", "06/05/1975");
        var namesake = await FileAsync("Lê Văn Cường", "0933 999 888", "07/07/1977");
        var other = await FileAsync("Phạm Thị Dung", "0944 555 666", "08/08/1988");

        using var export = await _office.SendAsync(HttpMethod.Post, "api/member-data/export", new { memberName = "Lê Văn Cường", contact = "0901111222" });
        var exported = await export.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal(new[] { first, second }.Order(), exported.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("code").GetString()!).Order());
        Assert.All(exported.GetProperty("reports").EnumerateArray(), r => Assert.Equal("1", r.GetProperty("consentNotice").GetString()));

        using var erase = await _office.SendAsync(HttpMethod.Post, "api/member-data/erase", new { memberName = "Lê Văn Cường", contact = "0901 111 222" });
        var erased = await erase.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(new[] { first, second }.Order(), erased.GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).Order());
        Assert.Equal("(đã xóa)", (await ReportAsync(first)).GetProperty("memberName").GetString());
        Assert.Equal("rejected", (await ReportAsync(second)).GetProperty("status").GetString());
        Assert.Equal("Lê Văn Cường", (await ReportAsync(namesake)).GetProperty("memberName").GetString());
        Assert.Equal("Phạm Thị Dung", (await ReportAsync(other)).GetProperty("memberName").GetString());

        using var nothingLeft = await _office.SendAsync(HttpMethod.Post, "api/member-data/export", new { memberName = "Lê Văn Cường", contact = "0901111222" });
        Assert.Empty((await nothingLeft.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("reports").EnumerateArray());

        var trail = await TrailAsync();
        Assert.Contains("\"action\":\"member-data-exported\"", trail, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"member-data-erased\"", trail, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"member-data-viewed\"", trail, StringComparison.Ordinal);
        Assert.DoesNotContain("Cường", trail, StringComparison.Ordinal);
        Assert.DoesNotContain("0901", trail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_board_finds_downloads_and_erases_a_members_data_from_its_page_after_a_confirmation()
    {
        var code = await FileAsync("Võ Thị Én", "en.vo@example.invalid", "01/01/1990");
        var board = new Visitor();
        using var http = Visitor.Client(_app.BaseAddress);
        await board.SignInAsync(http, "bxdd");
        using var page = await board.SendAsync(http, HttpMethod.Get, "office/member-data");
        using var found = await board.SendAsync(http, HttpMethod.Post, "office/member-data", new() { ["csrf"] = board.FormToken!, ["memberName"] = "vo thi en", ["action"] = "search" });
        Assert.Contains(code, await found.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var download = await board.SendAsync(http, HttpMethod.Post, "office/member-data", new() { ["csrf"] = board.FormToken!, ["memberName"] = "vo thi en", ["action"] = "export" });
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("du-lieu-dang-vien.json", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);

        using var unconfirmed = await board.SendAsync(http, HttpMethod.Post, "office/member-data", new() { ["csrf"] = board.FormToken!, ["memberName"] = "vo thi en", ["action"] = "erase" });
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Equal("Võ Thị Én", (await ReportAsync(code)).GetProperty("memberName").GetString());

        using var confirmed = await board.SendAsync(http, HttpMethod.Post, "office/member-data", new() { ["csrf"] = board.FormToken!, ["memberName"] = "vo thi en", ["action"] = "erase", ["confirm"] = "yes" });
        Assert.Contains($"Đã xóa thông tin cá nhân trong 1 phản ánh: {code}", await confirmed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("(đã xóa)", (await ReportAsync(code)).GetProperty("memberName").GetString());
    }
}
