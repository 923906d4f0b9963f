using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;
using static ServerlessWorkflow.Tests.Infrastructure.EscalationHarness;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// The office's hands on a unit's ladder, from the unit's page reached from the board: a reminder by
/// hand (recorded in the outbox, never a second copy of the same step, one a day), a hold through a
/// day (the unit asked for time), and sending a failed email again — each a form post answered with
/// a redirect back to the page, or the page again with the problem and what was typed.
/// </summary>
public sealed class OfficeLadderActionsTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly EscalationHarness _h = new(storage);
    private JsonElement _directive;

    private string Id => _directive.GetProperty("id").GetString()!;

    private string UnitPage => $"office/directives/{Id}/units/chi-bo-b";

    public async ValueTask InitializeAsync()
    {
        _h.Settings.Remove("Email:Office"); // no digest: every email here is the unit's or its parent's
        await _h.StartAsync();
        _directive = await _h.RegisterAsync(["Trước ngày 26/02/2026"], ["chi-bo-b"]);
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private Task<HttpResponseMessage> ActAsync(string action, string through = "", string note = "") =>
        _h.PostFormAsync($"{UnitPage}/tasks/t1", new() { ["action"] = action, ["through"] = through, ["note"] = note });

    [Fact]
    public async Task A_reminder_by_hand_goes_at_once_is_in_the_outbox_and_the_timer_never_sends_that_step_again()
    {
        _h.Clock.SetUtcNow(Vietnam(2, 26, 1)); // late since midnight; the timer's step 1 is due at 07:00

        using var reminded = await ActAsync("remind");
        var (status, page) = await _h.PageAsync(reminded.Headers.Location!.OriginalString.TrimStart('/'));
        using var twice = await ActAsync("remind");
        var refused = await twice.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        await _h.RunAtAsync(Vietnam(2, 26, 7));
        await _h.RunAtAsync(Vietnam(2, 26, 12));
        var nextMorning = await _h.RunAtAsync(Vietnam(2, 27, 7));
        _h.Clock.SetUtcNow(Vietnam(2, 27, 9));
        using var nextDay = await ActAsync("remind");

        Assert.Equal(HttpStatusCode.SeeOther, reminded.StatusCode);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Đã nhắc đơn vị về nhiệm vụ 1: Đã gửi lúc 01:00 26/02/2026.", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("Hôm nay đơn vị đã được nhắc về nhiệm vụ này lúc 01:00", refused, StringComparison.Ordinal);
        var toUnit = _h.MailsTo("chi-bo-b@example.invalid");
        Assert.Equal(2, toUnit.Count);
        Assert.StartsWith("Quá hạn 1 ngày:", toUnit[0].Subject, StringComparison.Ordinal);
        Assert.StartsWith("Quá hạn 2 ngày:", toUnit[1].Subject, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, nextDay.StatusCode);
        Assert.Equal("dang-uy@example.invalid", Assert.Single(nextMorning).To.Single().Email); // step 2, a day after step 1 went out by hand
        var emails = await _h.OutboxAsync(Id);
        Assert.Equal(["manual-20260227", "step-1", "step-2"], emails.Select(e => e.GetProperty("step").GetString()).Order());
        Assert.All(emails, e => Assert.Equal("sent", e.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task A_ladder_held_through_a_day_sends_nothing_until_the_next_morning_the_board_shows_it_and_it_carries_on()
    {
        await _h.RunAtAsync(Vietnam(2, 26, 8));
        _h.Clock.SetUtcNow(Vietnam(2, 26, 10));

        using var wrongDay = await ActAsync("hold", "31/02/2026", "Đơn vị xin thêm thời gian");
        var wrong = await wrongDay.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var held = await ActAsync("hold", "01/03/2026", "Đơn vị xin thêm thời gian");
        var (_, board) = await _h.PageAsync($"office/directives/{Id}");
        var (_, unitPage) = await _h.PageAsync($"{UnitPage}?da=tam-dung&nv=t1");
        var during = new List<SendGridRequest>();
        foreach (var day in new[] { 27, 28 })
        {
            during.AddRange(await _h.RunAtAsync(Vietnam(2, day, 7)));
        }

        during.AddRange(await _h.RunAtAsync(Vietnam(3, 1, 7)));
        var after = await _h.RunAtAsync(Vietnam(3, 2, 7));

        Assert.Equal(HttpStatusCode.BadRequest, wrongDay.StatusCode);
        Assert.Contains("Tạm dừng đến hết ngày: Ngày tạm dừng đến phải viết dạng ngày/tháng/năm", wrong, StringComparison.Ordinal);
        Assert.Contains("value=\"31/02/2026\"", wrong, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, held.StatusCode);
        Assert.Contains("Tạm dừng nhắc đến 01/03/2026", board, StringComparison.Ordinal);
        Assert.Contains("Đã tạm dừng nhắc nhiệm vụ 1 đến hết ngày 01/03/2026.", unitPage, StringComparison.Ordinal);
        Assert.Contains("Đang tạm dừng nhắc đến hết ngày 01/03/2026 (Đơn vị xin thêm thời gian).", unitPage, StringComparison.Ordinal);
        Assert.Empty(during);
        Assert.Equal("dang-uy@example.invalid", Assert.Single(after).To.Single().Email);
    }

    [Fact]
    public async Task Taking_a_hold_off_lets_the_next_run_carry_on()
    {
        await _h.RunAtAsync(Vietnam(2, 26, 8));
        _h.Clock.SetUtcNow(Vietnam(2, 26, 10));
        using var held = await ActAsync("hold", "10/03/2026");

        var during = await _h.RunAtAsync(Vietnam(2, 27, 7));
        _h.Clock.SetUtcNow(Vietnam(2, 27, 9));
        using var released = await ActAsync("release");
        using var again = await ActAsync("release");
        var after = await _h.RunAtAsync(Vietnam(2, 27, 9, 5));

        Assert.Equal(HttpStatusCode.SeeOther, held.StatusCode);
        Assert.Empty(during);
        Assert.Equal(HttpStatusCode.SeeOther, released.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("dang-uy@example.invalid", Assert.Single(after).To.Single().Email);

        // The trail has the office's two actions (the refused second release is not one), who did them, and the timer's decisions.
        using var audit = await _h.Office.SendAsync(HttpMethod.Get, $"api/audit?unitId=chi-bo-b");
        var actions = (await audit.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(1, actions.Count(a => a == "ladder-held"));
        Assert.Equal(1, actions.Count(a => a == "ladder-released"));
        Assert.Contains("escalation-decided", actions);
    }

    [Fact]
    public async Task A_failed_email_is_sent_again_once_to_the_address_the_unit_list_gives_now()
    {
        _h.SendGrid.Enqueue(StubResponse.BadRequest("The to address chi-bo-b@example.invalid is on a suppression list.", "personalizations.0.to"));
        await _h.RunAtAsync(Vietnam(2, 26, 8));
        var failed = Assert.Single(await _h.OutboxAsync(Id));
        using (var fixedAddress = await _h.Office.SendAsync(HttpMethod.Put, "api/units/chi-bo-b", new { name = "Chi bộ Văn phòng", level = 2, parentId = "dang-uy", email = "vanphong-chibo@example.invalid" }))
        {
            Assert.True(fixedAddress.IsSuccessStatusCode);
        }

        var resend = $"office/outbox/{Id}/{failed.GetProperty("id").GetString()}/resend";
        using var resent = await _h.PostFormAsync(resend, new() { ["from"] = "unit", ["unit"] = "chi-bo-b" });
        var (_, page) = await _h.PageAsync(resent.Headers.Location!.OriginalString.TrimStart('/'));
        using var twice = await _h.PostFormAsync(resend, []);
        await _h.RunAtAsync(Vietnam(2, 26, 9));

        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.SeeOther, resent.StatusCode);
        Assert.StartsWith($"/office/directives/{Id}/units/chi-bo-b?gui=", resent.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("Gửi lại thư “Quá hạn 1 ngày: Nhiệm vụ số 1 — hạn 25/02/2026”: Đã gửi lúc", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(["chi-bo-b@example.invalid", "vanphong-chibo@example.invalid"], _h.SendGrid.Requests.Select(r => r.To.Single().Email));
        var email = Assert.Single(await _h.OutboxAsync(Id));
        Assert.Equal("sent", email.GetProperty("state").GetString());
        Assert.Equal(failed.GetProperty("id").GetString(), email.GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_unit_page_says_where_its_mail_goes_what_was_sent_and_what_comes_next()
    {
        await _h.RunAtAsync(Vietnam(2, 22, 8));
        await _h.RunAtAsync(Vietnam(2, 26, 8));
        _h.Clock.SetUtcNow(Vietnam(2, 26, 9));

        var (status, page) = await _h.PageAsync(UnitPage);
        var (_, board) = await _h.PageAsync($"office/directives/{Id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Thư nhắc gửi tới: chi-bo-b@example.invalid.", page, StringComparison.Ordinal);
        Assert.Contains("Nhắc trước hạn 3 ngày</strong> (08:00 22/02/2026): Đã gửi lúc 08:00 22/02/2026.", page, StringComparison.Ordinal);
        Assert.Contains("Bước tiếp theo: Bước 2: báo cấp trên — khoảng 07:00 27/02/2026", page, StringComparison.Ordinal);
        Assert.Contains("Gửi nhắc ngay", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/office/directives/{Id}/units/chi-bo-b\"", board, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _h.PageAsync($"office/directives/{Id}/units/dang-bo-a")).Status);
    }
}
