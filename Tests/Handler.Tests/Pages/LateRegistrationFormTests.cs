using System.Net;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;
using static ServerlessWorkflow.Tests.Infrastructure.EscalationHarness;

namespace ServerlessWorkflow.Tests.Pages;

/// <summary>
/// The new-directive form with a task whose deadline has already passed: "Tạo công văn" shows the form
/// again with the task flagged and what will be sent and when, keeping everything typed; a second
/// press creates it, with or without "Không nhắc". A form whose deadlines are all ahead is created at once.
/// </summary>
public sealed class LateRegistrationFormTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly EscalationHarness _h = new(storage);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _h.StartAsync();
        _h.Clock.SetUtcNow(Vietnam(3, 10, 10));
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private static Dictionary<string, string> Form(string deadline, bool quiet = false, bool seen = false, string number = "643-CV/ĐU")
    {
        var form = new Dictionary<string, string>
        {
            ["action"] = "create",
            ["number"] = number,
            ["issuedOn"] = "05/02/2026",
            ["issuer"] = "Đảng ủy UBND tỉnh",
            ["subject"] = "Triển khai dịch vụ công của Đảng",
            ["tasks[0].title"] = "Mở tài khoản ngân hàng đứng tên tổ chức đảng",
            ["tasks[0].kind"] = "confirmation",
            ["tasks[0].deadline"] = deadline,
            ["tasks[0].units"] = "chi-bo-b",
        };
        if (quiet)
        {
            form["tasks[0].quiet"] = "1";
        }

        if (seen)
        {
            form["lateSeen"] = "1";
        }

        return form;
    }

    private async Task<List<JsonElement>> DirectivesAsync()
    {
        using var response = await _h.Office.SendAsync(HttpMethod.Get, "api/directives");
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<JsonElement>(response.Content, Ct)).EnumerateArray().ToList();
    }

    [Fact]
    public async Task A_task_already_late_is_flagged_on_the_form_with_what_will_be_sent_and_when_before_anything_is_created()
    {
        using var first = await _h.PostFormAsync("office/directives/new", Form("Trước ngày 26/02/2026"));
        var html = await first.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Empty(await DirectivesAsync());
        Assert.Contains("Có 1 nhiệm vụ đã quá hạn khi tạo.", html, StringComparison.Ordinal);
        Assert.Contains("Hạn hoàn thành (hết ngày 25/02/2026) đã qua 13 ngày.", html, StringComparison.Ordinal);
        Assert.Contains("Bước 1: nhắc đơn vị quá hạn — ngay lần kiểm tra hạn đầu tiên sau khi tạo", html, StringComparison.Ordinal);
        Assert.Contains("Bước 2: báo cấp trên — khoảng 07:00 11/03/2026", html, StringComparison.Ordinal);
        Assert.Contains("Bước 3: báo Ban Thường vụ, UBKT — khoảng 07:00 14/03/2026", html, StringComparison.Ordinal);
        Assert.Contains("name=\"lateSeen\" value=\"1\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Trước ngày 26/02/2026\"", html, StringComparison.Ordinal);
        Assert.Contains("Không nhắc: chỉ ghi nhận quá hạn, không gửi thư nào về nhiệm vụ này", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pressed_again_the_late_task_is_created_with_or_without_reminders_as_the_office_chose()
    {
        using var reminded = await _h.PostFormAsync("office/directives/new", Form("Trước ngày 26/02/2026", seen: true));
        using var quiet = await _h.PostFormAsync("office/directives/new", Form("Trước ngày 26/02/2026", quiet: true, seen: true, number: "644-CV/ĐU")); // another number: one already used is asked about first (DuplicateNumberTests)
        var run = await _h.RunAtAsync(Vietnam(3, 10, 10, 5));

        Assert.Equal(HttpStatusCode.SeeOther, reminded.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, quiet.StatusCode);
        Assert.Equal(2, (await DirectivesAsync()).Count);
        var step1 = Assert.Single(run, r => r.To.Any(t => t.Email == "chi-bo-b@example.invalid"));
        Assert.StartsWith("Quá hạn 13 ngày:", step1.Subject, StringComparison.Ordinal);
        var (_, board) = await _h.PageAsync(quiet.Headers.Location!.OriginalString.TrimStart('/'));
        Assert.Contains("tạo khi đã quá hạn", board, StringComparison.Ordinal);
        Assert.Contains("không nhắc", board, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_whose_deadlines_are_ahead_is_created_at_once()
    {
        using var created = await _h.PostFormAsync("office/directives/new", Form("31/03/2026"));

        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        Assert.Single(await DirectivesAsync());
    }
}
