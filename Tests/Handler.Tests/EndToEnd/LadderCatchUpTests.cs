using System.Net;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;
using static ServerlessWorkflow.Tests.Infrastructure.EscalationHarness;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// The ladder when the timer is late: a dispatch registered long after its deadline, an outage of the
/// timer, two runs at once during the catch-up — each unit hears first, the steps arrive in order
/// one per run and days apart, one email per parent and per directive; what the office is shown
/// before the run is what the run sends; the digest speaks of directives still followed only.
/// Units (OfficeClient.SeedUnitsAsync): dang-uy (top) › dang-bo-a › chi-bo-a1, and dang-uy › chi-bo-b.
/// </summary>
public sealed class LadderCatchUpTests(StorageFixture storage) : IAsyncLifetime
{
    // 300 days after the last day 25/02/2026.
    private static readonly DateTimeOffset LateRegistration = Vietnam(12, 22, 10, 2);
    private readonly EscalationHarness _h = new(storage);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private static string[] AllThree => ["dang-bo-a", "chi-bo-b", "chi-bo-a1"];

    [Fact]
    public async Task A_dispatch_registered_300_days_late_is_flagged_then_its_units_hear_first_and_the_steps_follow_one_per_run_days_apart()
    {
        await _h.StartAsync();
        _h.Clock.SetUtcNow(LateRegistration);

        var registered = await _h.RegisterAsync(["2026-02-25"], AllThree);
        var first = await _h.RunAtAsync(LateRegistration);
        var again = await _h.RunAtAsync(LateRegistration.AddMinutes(5));
        var afternoon = await _h.RunAtAsync(Vietnam(12, 22, 15));
        var step2 = await _h.RunAtAsync(Vietnam(12, 23, 7));
        var between = (await _h.RunAtAsync(Vietnam(12, 24, 7))).Concat(await _h.RunAtAsync(Vietnam(12, 25, 7))).ToList();
        var step3 = await _h.RunAtAsync(Vietnam(12, 26, 7));

        // The answer flags the task and says what will be sent when.
        var task = registered.GetProperty("tasks")[0];
        Assert.True(task.GetProperty("late").GetBoolean());
        Assert.Equal(300, task.GetProperty("daysOverdue").GetInt32());
        Assert.StartsWith("Hạn hoàn thành (hết ngày 25/02/2026) đã qua 300 ngày.", task.GetProperty("notice").GetString(), StringComparison.Ordinal);
        var plan = task.GetProperty("plan").EnumerateArray().ToDictionary(p => p.GetProperty("step").GetString()!, p => p);
        Assert.True(plan["reminder-3d"].GetProperty("skipped").GetBoolean());
        Assert.True(plan["reminder-1d"].GetProperty("skipped").GetBoolean());
        Assert.Equal(LateRegistration, plan["step-1"].GetProperty("at").GetDateTimeOffset());
        Assert.Equal(Vietnam(12, 23, 7), plan["step-2"].GetProperty("at").GetDateTimeOffset());
        Assert.Equal(Vietnam(12, 26, 7), plan["step-3"].GetProperty("at").GetDateTimeOffset());

        // First run: step 1 to each unit (saying how late), and the digest; nothing above the units.
        Assert.Equal(["chi-bo-a1@example.invalid", "chi-bo-b@example.invalid", "dang-bo-a@example.invalid", "vanphong@example.invalid"], first.Select(r => r.To.Single().Email).Order());
        Assert.All(first.Where(r => r.To[0].Email != "vanphong@example.invalid"), r => Assert.StartsWith("Quá hạn 300 ngày: Nhiệm vụ số 1 — hạn 25/02/2026", r.Subject, StringComparison.Ordinal));
        Assert.Empty(again);
        Assert.Empty(afternoon);

        // Next morning: step 2, one email per parent listing its late sub-units (plus the day's digest).
        var toTop = Assert.Single(step2, r => r.To.Single().Email == "dang-uy@example.invalid");
        Assert.Equal("2 đơn vị trực thuộc quá hạn — Công văn số 643-CV/ĐU", toTop.Subject);
        Assert.Contains("  - Chi bộ Văn phòng: Nhiệm vụ số 1 (hạn 25/02/2026), quá hạn 301 ngày.", TextOf(toTop), StringComparison.Ordinal);
        Assert.Contains("  - Đảng bộ Sở Tài chính: Nhiệm vụ số 1 (hạn 25/02/2026), quá hạn 301 ngày.", TextOf(toTop), StringComparison.Ordinal);
        Assert.Equal(["vanphong@example.invalid"], toTop.Cc.Select(c => c.Email));
        var toBranch = Assert.Single(step2, r => r.To.Single().Email == "dang-bo-a@example.invalid");
        Assert.Equal("Đơn vị trực thuộc quá hạn 301 ngày: Chi bộ Phòng Tổng hợp — Nhiệm vụ số 1", toBranch.Subject);
        Assert.Equal(3, step2.Count);

        // Step 3 waits three days after step 2 went out, then one summary for the directive.
        Assert.All(between, r => Assert.StartsWith("Tổng hợp ngày", r.Subject, StringComparison.Ordinal));
        var summary = Assert.Single(step3, r => r.To.Any(t => t.Email == "btv@example.invalid"));
        Assert.Equal("Đề xuất nhắc nhở, phê bình: 3 đơn vị quá hạn — Công văn số 643-CV/ĐU", summary.Subject);
        Assert.Equal(3, summary.Contents.Single(c => c.Type == "text/plain").Value.Split('\n').Count(l => l.StartsWith("  - ", StringComparison.Ordinal)));
        Assert.Equal(_h.SendGrid.Requests.Count, _h.SendGrid.Requests.Select(KeyOf).Distinct().Count());
    }

    [Theory]
    [InlineData(3, "28/02 08:00", "01/03 07:00", "04/03 07:00")]
    [InlineData(6, "03/03 08:00", "04/03 07:00", "07/03 07:00")]
    [InlineData(30, "27/03 08:00", "28/03 07:00", "31/03 07:00")]
    public async Task After_an_outage_of_the_timer_each_unit_hears_first_and_the_steps_arrive_in_order_one_per_run(int days, string step1, string step2, string step3)
    {
        await _h.StartAsync();
        var directive = await _h.RegisterAsync(["Trước ngày 26/02/2026"], ["chi-bo-b", "chi-bo-a1"]);
        foreach (var day in new[] { 22, 24, 25 })
        {
            await _h.RunAtAsync(Vietnam(2, day, 8));
        }

        // The timer is down from the last day's morning for `days` days, then runs through the morning and afternoon for ten days.
        var resumed = Vietnam(2, 25, 8).AddDays(days);
        var runs = new List<DateTimeOffset> { resumed, resumed.AddMinutes(5) };
        for (var d = 1; d <= 10; d++)
        {
            var day = VietnamTime(resumed.AddDays(d));
            runs.AddRange([day.AddHours(7), day.AddHours(7).AddMinutes(5), day.AddHours(15)]);
        }

        foreach (var at in runs)
        {
            await _h.RunAtAsync(at);
        }

        var emails = (await _h.OutboxAsync(directive.GetProperty("id").GetString()!)).ToList();
        string When(string step) => VietnamTimeText(emails.Single(e => e.GetProperty("step").GetString() == step && Carries(e, "chi-bo-b")).GetProperty("createdAt").GetDateTimeOffset(), "dd/MM HH:mm");

        // Both reminders of both units went before the outage; none after the deadline.
        var reminders = emails.Where(e => e.GetProperty("step").GetString()!.StartsWith("reminder-", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, reminders.Count);
        Assert.All(reminders, r => Assert.True(r.GetProperty("createdAt").GetDateTimeOffset() < Vietnam(2, 26, 0)));
        Assert.Equal([step1, step2, step3], new[] { When("step-1"), When("step-2"), When("step-3") });
        foreach (var run in emails.GroupBy(e => e.GetProperty("createdAt").GetDateTimeOffset()))
        {
            var units = run.SelectMany(e => e.GetProperty("assignments").EnumerateArray().Select(a => a.GetProperty("unitId").GetString())).ToList();
            Assert.True(units.Count == units.Distinct().Count(), $"a run at {run.Key} sent a unit's ladder two steps");
        }

        Assert.Single(emails, e => e.GetProperty("step").GetString() == "step-3");
        Assert.All(emails, e => Assert.Equal("sent", e.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Two_concurrent_runs_during_the_catch_up_decide_each_step_once_with_one_email_per_parent_and_one_summary()
    {
        await _h.StartAsync();
        _h.Clock.SetUtcNow(LateRegistration);
        await _h.RegisterAsync(["2026-02-25", "2026-03-31"], AllThree);

        var first = await _h.RunAtAsync(LateRegistration, concurrently: 3);
        var second = await _h.RunAtAsync(Vietnam(12, 23, 7), concurrently: 3);
        var third = await _h.RunAtAsync(Vietnam(12, 26, 7), concurrently: 3);

        // Each unit: one step-1 email carrying both of its tasks.
        Assert.Equal(3, first.Count(r => r.Subject!.StartsWith("Quá hạn 2 nhiệm vụ", StringComparison.Ordinal)));
        Assert.Single(second, r => r.To.Single().Email == "dang-uy@example.invalid");
        Assert.Single(second, r => r.To.Single().Email == "dang-bo-a@example.invalid");
        Assert.Single(third, r => r.To.Any(t => t.Email == "btv@example.invalid"));
        Assert.Equal(_h.SendGrid.Requests.Count, _h.SendGrid.Requests.Select(KeyOf).Distinct().Count());
        Assert.Equal(3 + 1 + 2 + 1 + 1 + 1, _h.SendGrid.Requests.Count); // step 1 ×3 and a digest; step 2 ×2 and a digest; step 3 and a digest
    }

    [Fact]
    public async Task The_preview_is_computed_by_the_runs_own_code_at_its_next_fire_time_and_the_run_sends_exactly_those_emails()
    {
        await _h.StartAsync();
        _h.Clock.SetUtcNow(LateRegistration);
        var directive = await _h.RegisterAsync(["2026-02-25"], AllThree);

        foreach (var (previewAt, nextRun) in new[] { (LateRegistration, Vietnam(12, 22, 10, 5)), (Vietnam(12, 23, 6, 57), Vietnam(12, 23, 7)) })
        {
            _h.Clock.SetUtcNow(previewAt);
            var escalations = await _h.EscalationsAsync(directive);
            var (status, page) = await _h.PageAsync("office/outbox");
            var planned = escalations.GetProperty("planned").EnumerateArray().Select(Shape).Order().ToList();

            var sent = await _h.RunAtAsync(nextRun);
            var decided = (await _h.OutboxAsync(directive.GetProperty("id").GetString()!))
                .Where(e => e.GetProperty("createdAt").GetDateTimeOffset() == nextRun).Select(Shape).Order().ToList();

            Assert.Equal(nextRun, escalations.GetProperty("nextRun").GetDateTimeOffset());
            Assert.NotEmpty(planned);
            Assert.Equal(planned, decided);
            Assert.Equal(planned.Count + 1, sent.Count); // and the day's digest, which the page previews too
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains($"Sẽ gửi {sent.Count} thư:", page, StringComparison.Ordinal);
            Assert.All(sent, r => Assert.Contains(r.Subject!, page, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_digest_speaks_of_directives_still_followed_only()
    {
        await _h.StartAsync();
        await _h.RegisterAsync(["Trước ngày 26/02/2026"], ["chi-bo-b"]);
        _h.Clock.SetUtcNow(Vietnam(5, 30, 9));
        using (var response = await _h.Office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "700-CV/ĐU",
            issuedOn = "2026-05-20",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Rà soát tài khoản",
            tasks = new[] { new { title = "Rà soát tài khoản ngân hàng", kind = "confirmation", deadline = "2026-05-31", units = new[] { "chi-bo-b" } } },
        }))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var run = await _h.RunAtAsync(Vietnam(6, 1, 8));

        // 643's links ended 60 days after its last deadline (27/04): it is no longer followed — no digest line, no step; 700 is.
        var digest = Assert.Single(run, r => r.Subject!.StartsWith("Tổng hợp ngày 01/06/2026", StringComparison.Ordinal));
        Assert.Contains("Công văn số 700-CV/ĐU — Rà soát tài khoản ngân hàng", TextOf(digest), StringComparison.Ordinal);
        Assert.DoesNotContain("643-CV/ĐU", TextOf(digest), StringComparison.Ordinal);
        Assert.Equal(["Quá hạn 1 ngày: Rà soát tài khoản ngân hàng — hạn 31/05/2026"], run.Where(r => r != digest).Select(r => r.Subject));
    }

    [Fact]
    public async Task A_task_the_office_chose_not_to_remind_about_is_recorded_late_and_nothing_is_sent_about_it()
    {
        await _h.StartAsync();
        _h.Clock.SetUtcNow(LateRegistration);

        var registered = await _h.RegisterAsync(["2026-02-25"], AllThree, remind: false);
        foreach (var at in new[] { LateRegistration, Vietnam(12, 23, 7), Vietnam(12, 26, 7), Vietnam(12, 30, 7) })
        {
            await _h.RunAtAsync(at);
        }

        var task = registered.GetProperty("tasks")[0];
        Assert.False(task.GetProperty("remind").GetBoolean());
        Assert.EndsWith("Không nhắc: đơn vị được ghi nhận là quá hạn, hệ thống không gửi thư nào.", task.GetProperty("notice").GetString(), StringComparison.Ordinal);
        Assert.Empty(task.GetProperty("plan").EnumerateArray());
        Assert.Empty(_h.SendGrid.Requests);
        using var response = await _h.Office.SendAsync(HttpMethod.Get, $"api/directives/{registered.GetProperty("id").GetString()}");
        var directive = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<JsonElement>(response.Content, Ct);
        Assert.Equal(3, directive.GetProperty("summary").GetProperty("overdue").GetInt32());
    }

    private static DateTimeOffset VietnamTime(DateTimeOffset at) => new(at.ToOffset(Vn).Date, Vn);

    private static bool Carries(JsonElement email, string unit) =>
        email.GetProperty("assignments").EnumerateArray().Any(a => a.GetProperty("unitId").GetString() == unit);

    private static string Shape(JsonElement e) => string.Join(
        " | ",
        e.GetProperty("id").GetString(),
        e.GetProperty("step").GetString(),
        string.Join(",", e.GetProperty("to").EnumerateArray().Select(t => t.GetString())),
        string.Join(",", e.GetProperty("cc").EnumerateArray().Select(t => t.GetString())),
        e.GetProperty("subject").GetString(),
        string.Join(",", e.GetProperty("assignments").EnumerateArray().Select(a => $"{a.GetProperty("taskId").GetString()}/{a.GetProperty("unitId").GetString()}")));
}
