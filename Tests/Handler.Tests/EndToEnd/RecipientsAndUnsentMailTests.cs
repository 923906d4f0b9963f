using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Tests.Infrastructure;
using static ServerlessWorkflow.Tests.Infrastructure.EscalationHarness;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// No email is decided without a recipient: a unit without an address is reached through its
/// parent, then the office, and the digest names it; step 3 without the committees' list goes to the
/// office saying so; when nobody at all can be reached, the step is recorded and the office warned.
/// Mail that cannot be sent — no sender, no provider key — is recorded, with the reason in
/// Vietnamese, never "failed". An email that no longer makes sense when its turn comes (a reminder
/// whose deadline passed while it waited, a unit that completed meanwhile) is not sent.
/// </summary>
public sealed partial class RecipientsAndUnsentMailTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly EscalationHarness _h = new(storage);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    /// <summary>Two units without an address: chi-bo-a2 under dang-bo-a (which has one), chi-bo-d1 under dang-bo-d (which has none).</summary>
    private async Task AddUnitsWithoutAddressesAsync()
    {
        foreach (var (id, name, level, parent) in new[]
        {
            ("chi-bo-a2", "Chi bộ Phòng Kế hoạch", 4, "dang-bo-a"),
            ("dang-bo-d", "Đảng bộ Sở Xây dựng", 2, "dang-uy"),
            ("chi-bo-d1", "Chi bộ Phòng Quy hoạch", 4, "dang-bo-d"),
        })
        {
            using var response = await _h.Office.SendAsync(HttpMethod.Put, $"api/units/{id}", new { name, level, parentId = parent });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        }
    }

    [Fact]
    public async Task A_unit_without_an_address_is_reached_through_its_parent_then_the_office_the_digest_names_it_and_every_to_is_filled()
    {
        await _h.StartAsync();
        await AddUnitsWithoutAddressesAsync();
        var directive = await _h.RegisterAsync(["Trước ngày 26/02/2026"], ["chi-bo-a2", "chi-bo-d1"]);

        var step1 = await _h.RunAtAsync(Vietnam(2, 26, 8));
        var step2 = await _h.RunAtAsync(Vietnam(2, 27, 7));

        var viaParent = Assert.Single(step1, r => r.To.Single().Email == "dang-bo-a@example.invalid");
        Assert.Equal("Chuyển Chi bộ Phòng Kế hoạch — Quá hạn 1 ngày: Nhiệm vụ số 1 — hạn 25/02/2026", viaParent.Subject);
        Assert.StartsWith("Kính gửi: Đảng bộ Sở Tài chính", TextOf(viaParent), StringComparison.Ordinal);
        var viaOffice = Assert.Single(step1, r => r.Subject!.StartsWith("Chuyển Chi bộ Phòng Quy hoạch", StringComparison.Ordinal));
        Assert.Equal("vanphong@example.invalid", viaOffice.To.Single().Email);
        var digest = Assert.Single(step1, r => r.Subject!.StartsWith("Tổng hợp ngày 26/02/2026", StringComparison.Ordinal));
        Assert.Contains("Đơn vị chưa có địa chỉ thư điện tử (đề nghị bổ sung trong danh sách đơn vị): Chi bộ Phòng Kế hoạch, Chi bộ Phòng Quy hoạch.", TextOf(digest), StringComparison.Ordinal);
        Assert.Contains("  - Chi bộ Phòng Kế hoạch: quá hạn 1 ngày (chưa có địa chỉ thư: thư nhắc gửi qua Đảng bộ Sở Tài chính)", TextOf(digest), StringComparison.Ordinal);

        // Step 2 of the unit whose parent has no address goes to the office, saying so.
        var parentless = Assert.Single(step2, r => r.Subject!.Contains("Chi bộ Phòng Quy hoạch", StringComparison.Ordinal));
        Assert.Equal("vanphong@example.invalid", parentless.To.Single().Email);
        Assert.Contains("chưa có địa chỉ thư điện tử trên hệ thống nên thư được gửi về Văn phòng", TextOf(parentless), StringComparison.Ordinal);

        var decided = await _h.OutboxAsync(directive.GetProperty("id").GetString()!);
        Assert.All(decided, e => Assert.NotEmpty(e.GetProperty("to").EnumerateArray()));
        var (_, page) = await _h.PageAsync("office/outbox");
        Assert.DoesNotMatch(EmptyToCell(), page);
    }

    [Fact]
    public async Task With_the_committees_list_empty_step_3_goes_to_the_office_with_a_line_saying_their_addresses_are_not_configured()
    {
        _h.Settings["Escalation:Recipients"] = string.Empty;
        await _h.StartAsync();
        await _h.RegisterAsync(["Trước ngày 26/02/2026"], ["chi-bo-b"]);

        await _h.RunAtAsync(Vietnam(2, 26, 8));
        await _h.RunAtAsync(Vietnam(2, 27, 8));
        var step3 = await _h.RunAtAsync(Vietnam(3, 2, 8));

        var summary = Assert.Single(step3, r => r.Subject!.StartsWith("Đề xuất nhắc nhở, phê bình:", StringComparison.Ordinal));
        Assert.Equal("vanphong@example.invalid", summary.To.Single().Email);
        Assert.Contains("Lưu ý: chưa cấu hình địa chỉ thư điện tử của Ban Thường vụ và Ủy ban Kiểm tra nên thư này được gửi về Văn phòng", TextOf(summary), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_nobody_can_be_reached_no_email_is_decided_the_step_is_recorded_and_the_office_is_warned_before_the_run()
    {
        _h.Settings.Remove("Email:Office");
        await _h.StartAsync();
        await AddUnitsWithoutAddressesAsync();
        var directive = await _h.RegisterAsync(["Trước ngày 26/02/2026"], ["chi-bo-d1"]);
        _h.Clock.SetUtcNow(Vietnam(2, 26, 7, 58));

        var (_, page) = await _h.PageAsync("office/outbox");
        await _h.RunAtAsync(Vietnam(2, 26, 8));
        var escalations = await _h.EscalationsAsync(directive);
        var (_, unitPage) = await _h.PageAsync($"office/directives/{directive.GetProperty("id").GetString()}/units/chi-bo-d1");

        Assert.Contains("1 bước đến hạn nhưng không có địa chỉ nào để gửi", page, StringComparison.Ordinal);
        Assert.Contains("Bước 1: nhắc đơn vị quá hạn</strong> (08:00 26/02/2026): Không gửi: đơn vị, đơn vị cấp trên và Văn phòng đều chưa có địa chỉ thư điện tử.", unitPage, StringComparison.Ordinal);
        Assert.Contains("Nhắc trước hạn 1 ngày</strong> (08:00 26/02/2026): Không gửi: đã qua thời điểm nhắc", unitPage, StringComparison.Ordinal);
        Assert.Contains("Chi bộ Phòng Quy hoạch — Bước 1: nhắc đơn vị quá hạn", page, StringComparison.Ordinal);
        Assert.Empty(_h.SendGrid.Requests);
        Assert.Empty(await _h.OutboxAsync(directive.GetProperty("id").GetString()!));
        Assert.Contains("step-1", escalations.GetProperty("assignments")[0].GetProperty("recorded").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Without_a_sender_mail_is_recorded_not_failed_and_the_office_reads_why_in_Vietnamese()
    {
        _h.Settings.Remove("Email:From");
        await _h.StartAsync();
        var directive = await _h.RegisterAsync(["Trước ngày 26/02/2026"], ["chi-bo-b"]);

        await _h.RunAtAsync(Vietnam(2, 22, 8));
        await _h.RunAtAsync(Vietnam(2, 26, 8));
        var emails = await _h.OutboxAsync(directive.GetProperty("id").GetString()!);
        var (_, page) = await _h.PageAsync("office/outbox");

        Assert.Empty(_h.SendGrid.Requests);
        Assert.Equal(2, emails.Count);
        Assert.All(emails, e => Assert.Equal("recorded", e.GetProperty("state").GetString()));
        Assert.All(emails, e => Assert.Equal("Chỉ ghi lại, chưa gửi: chưa cấu hình địa chỉ gửi thư đi.", e.GetProperty("message").GetString()));
        Assert.Contains("Chỉ ghi lại, chưa gửi: chưa cấu hình địa chỉ gửi thư đi.", page, StringComparison.Ordinal);
        Assert.Contains("Chưa cấu hình địa chỉ gửi thư đi: thư nhắc, đôn đốc chỉ được ghi lại ở đây, chưa gửi tới đơn vị.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Gửi lỗi:", page, StringComparison.Ordinal);
        Assert.DoesNotContain("rejected", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Email__From", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_provider_key_mail_is_recorded_with_that_reason_and_the_ladder_still_climbs()
    {
        _h.Settings["SendGrid:ApiKey"] = null;
        await _h.StartAsync();
        var directive = await _h.RegisterAsync(["Trước ngày 26/02/2026"], ["chi-bo-b"]);

        await _h.RunAtAsync(Vietnam(2, 26, 8));
        await _h.RunAtAsync(Vietnam(2, 27, 8));
        var escalations = await _h.EscalationsAsync(directive);

        Assert.Empty(_h.SendGrid.Requests);
        var emails = escalations.GetProperty("assignments")[0].GetProperty("emails").EnumerateArray().ToList();
        Assert.Equal(["step-1", "step-2"], emails.Select(e => e.GetProperty("step").GetString()).Order());
        Assert.All(emails, e => Assert.Equal("Chỉ ghi lại, chưa gửi: chưa cấu hình dịch vụ gửi thư.", e.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_reminder_still_waiting_when_the_deadline_passes_is_not_sent_and_step_1_speaks_instead()
    {
        _h.Settings.Remove("Email:Office");
        await _h.StartAsync();
        var directive = await _h.RegisterAsync(["Trước ngày 26/02/2026"], ["chi-bo-b"]);
        _h.SendGrid.Enqueue(StubResponse.ServerError(), StubResponse.ServerError(), StubResponse.ServerError());

        await _h.RunAtAsync(Vietnam(2, 24, 8));   // reminder 1 day before: the provider fails
        await _h.RunAtAsync(Vietnam(2, 24, 12));  // fails again
        await _h.RunAtAsync(Vietnam(2, 25, 20));  // and again: it is still waiting when the deadline passes
        var beforeDeadline = _h.SendGrid.Requests.Count;
        await _h.RunAtAsync(Vietnam(2, 26, 8));

        var emails = await _h.OutboxAsync(directive.GetProperty("id").GetString()!);
        var reminder = Assert.Single(emails, e => e.GetProperty("step").GetString() == "reminder-1d");
        Assert.Equal("skipped", reminder.GetProperty("state").GetString());
        Assert.Equal("Không gửi: đã quá hạn, thư nhắc trước hạn không còn phù hợp.", reminder.GetProperty("message").GetString());
        Assert.Equal(beforeDeadline + 1, _h.SendGrid.Requests.Count);
        Assert.StartsWith("Quá hạn 1 ngày:", _h.SendGrid.Requests[^1].Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_waiting_for_a_unit_that_completes_meanwhile_is_not_sent()
    {
        _h.Settings.Remove("Email:Office");
        await _h.StartAsync();
        var directive = await _h.RegisterAsync(["Trước ngày 26/02/2026"], ["chi-bo-b"]);
        _h.SendGrid.Enqueue(StubResponse.ServerError());

        await _h.RunAtAsync(Vietnam(2, 26, 8));
        using (var done = await _h.Office.Http.PostAsJsonAsync($"u/{OfficeClient.TokenFor(directive, "chi-bo-b")}/tasks/t1", new { status = "done", note = "Đã xong" }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        }

        await _h.RunAtAsync(Vietnam(2, 26, 12));

        Assert.Single(_h.SendGrid.Requests);
        var step1 = Assert.Single(await _h.OutboxAsync(directive.GetProperty("id").GetString()!));
        Assert.Equal("skipped", step1.GetProperty("state").GetString());
        Assert.Equal("Không gửi: đơn vị đã hoàn thành nhiệm vụ trước khi đến lượt gửi.", step1.GetProperty("message").GetString());
    }

    [GeneratedRegex(@"<td[^>]*>\s*(<br>|</td>)")]
    private static partial Regex EmptyToCell();
}
