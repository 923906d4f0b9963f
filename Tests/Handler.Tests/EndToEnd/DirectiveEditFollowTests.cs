using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Tests.Infrastructure;
using static ServerlessWorkflow.Tests.Infrastructure.EscalationHarness;
using Desk = ServerlessWorkflow.Domain.Progress.OfficeDesk;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// What an edit of a directive (issue 16, point 2) does to what came with issues 16 (points 4–5)
/// and 17: the office's read models follow it — the list, the board and the units' records equal a
/// full recompute from every version after an extension, units added and a task cancelled, and an
/// edit whose read models were cut short is found and built again by the repair sweep; a task without
/// a deadline is never overdue and is in no month of the units' records; a closed directive cannot be
/// edited (API and page); units added are told by email with their link at its version.
/// </summary>
public sealed class DirectiveEditFollowTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly EscalationHarness _h = new(storage);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Period February = new(new Month(2026, 2), new Month(2026, 2));
    private static readonly Period March = new(new Month(2026, 3), new Month(2026, 3));
    private static readonly Period Spring = new(new Month(2026, 2), new Month(2026, 3));

    public async ValueTask InitializeAsync()
    {
        _h.Settings.Remove("Email:Office"); // no digest: every email here is a unit's
        _h.Settings["Escalation:TellUnits"] = "true";
        _h.StartClockAt(Vietnam(2, 20, 9));
        await _h.StartAsync();
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private T Get<T>()
        where T : notnull => _h.App.Services.GetRequiredService<T>();

    /// <summary>
    /// 000-CV/ĐU with three tasks: t1 "trước ngày 26/02/2026" for Đảng bộ Sở Tài chính and Chi bộ Văn phòng,
    /// t2 by 24/02/2026 for Chi bộ Văn phòng, t3 without a deadline for Đảng bộ Sở Tài chính.
    /// </summary>
    private async Task<JsonElement> RegisterAsync()
    {
        using var response = await _h.Office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "000-CV/ĐU",
            issuedOn = "2026-02-13",
            issuer = "Đảng ủy phường Đống Đa",
            subject = "Triển khai tài khoản ngân hàng và dịch vụ công",
            tasks = new object[]
            {
                new { title = "Mở tài khoản ngân hàng mang tên tổ chức đảng", kind = "confirmation", deadline = "Trước ngày 26/02/2026", units = new[] { "dang-bo-a", "chi-bo-b" } },
                new { title = "Báo cáo số tài khoản đã mở", kind = "confirmation", deadline = "24/02/2026", units = new[] { "chi-bo-b" } },
                new { title = "Đăng nhập Cổng dịch vụ công bằng VNeID mức 2", kind = "confirmation", units = new[] { "dang-bo-a" } },
            },
        });
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> EditAsync(string id, string ifMatch, object edit)
    {
        using var request = OfficeClient.Request(HttpMethod.Patch, $"api/directives/{id}", edit);
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        var response = await _h.Office.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private async Task SubmitAtAsync(JsonElement registered, string unit, string task, DateTimeOffset at)
    {
        _h.Clock.SetUtcNow(at);
        using var response = await _h.Office.Http.PostAsJsonAsync($"u/{OfficeClient.TokenFor(registered, unit)}/tasks/{task}", new { status = "done", note = "Đã thực hiện" }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>The read models' answers beside the full recompute from every version: the list's rates, the board's cells, the units' records over <paramref name="period"/>.</summary>
    private async Task AssertReadModelsEqualRecomputeAsync(DirectiveId id, Period period)
    {
        await AssertListAndBoardEqualRecomputeAsync(id);
        var tree = await Get<UnitRegistry>().TreeAsync(Ct);
        var full = (await Get<DirectiveRegistry>().ViewAsync(id.Value, Ct)).Value;
        var recomputed = full.Assignments.Where(a => period.Covers(a.Task))
            .GroupBy(a => a.UnitId).ToDictionary(g => g.Key, g => UnitRecord.Of(g.Select(a => a.Standing)));
        var records = (await Get<Desk>().UnitsAsync(period, tree, Ct)).ToDictionary(u => u.UnitId, u => u.Record);
        Assert.All(records, r => Assert.Equal(recomputed.GetValueOrDefault(r.Key, UnitRecord.Empty), r.Value));
    }

    /// <summary>The office's list (rates, last deadline) and the directive's board beside the full recompute from every version.</summary>
    private async Task AssertListAndBoardEqualRecomputeAsync(DirectiveId id)
    {
        var desk = Get<Desk>();
        var tree = await Get<UnitRegistry>().TreeAsync(Ct);
        var full = (await Get<DirectiveRegistry>().ViewAsync(id.Value, Ct)).Value;

        var listed = Assert.Single(await desk.DirectivesAsync(Ct), d => d.Directive.Id == id);
        Assert.Equal(DirectiveProgress.RatesOf(full.Assignments), listed.Rates);
        Assert.Equal(full.Directive.LastDeadline, listed.Directive.LastDeadline);

        var board = (await desk.ViewAsync(id.Value, tree, Ct)).Value;
        Assert.Equal(
            full.Assignments.Select(a => (a.UnitId, a.Task.Id, a.Task.Deadline, a.Standing.State, a.Standing.CompletedAt, a.Standing.DaysOverdue)),
            board.Assignments.Select(a => (a.UnitId, a.Task.Id, a.Task.Deadline, a.Standing.State, a.Standing.CompletedAt, a.Standing.DaysOverdue)));
    }

    [Fact]
    public async Task After_an_extension_units_added_and_a_task_cancelled_the_list_the_board_and_the_units_records_show_the_new_deadline_and_equal_a_full_recompute()
    {
        var registered = await RegisterAsync();
        var id = DirectiveId.Parse(registered.GetProperty("id").GetString()).Value;
        await SubmitAtAsync(registered, "dang-bo-a", "t1", Vietnam(2, 26, 10)); // a day late for 25/02
        _h.Clock.SetUtcNow(Vietnam(2, 27, 9));
        var before = Assert.Single(await Get<Desk>().DirectivesAsync(Ct), d => d.Directive.Id == id).Rates;
        var februaryBefore = (await Get<Desk>().UnitsAsync(February, await Get<UnitRegistry>().TreeAsync(Ct), Ct)).ToDictionary(u => u.UnitId.Value, u => u.Record);

        var (edited, _) = await EditAsync(id.Value, "\"r0\"", new
        {
            reason = "Ngân hàng chưa kịp mở tài khoản",
            tasks = new object[]
            {
                new { id = "t1", deadline = "10/03/2026", addUnits = new[] { "chi-bo-a1" } },
                new { id = "t2", cancel = true },
            },
        });

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        await AssertReadModelsEqualRecomputeAsync(id, Spring);
        await AssertReadModelsEqualRecomputeAsync(id, February);
        await AssertReadModelsEqualRecomputeAsync(id, March);

        // Before: one completed late, two overdue (t1 of Chi bộ Văn phòng, t2), the undated task pending.
        Assert.Equal((4, 0, 1, 2, 1), (before.Assignments, before.OnTime, before.Late, before.Overdue, before.Pending));
        Assert.Equal(1, februaryBefore["dang-bo-a"].Late);
        Assert.Equal(2, februaryBefore["chi-bo-b"].Overdue);

        // After: the completion of 26/02 is on time for 10/03; the cancelled task counts for nothing; the undated one is never overdue.
        var desk = Get<Desk>();
        var tree = await Get<UnitRegistry>().TreeAsync(Ct);
        var after = Assert.Single(await desk.DirectivesAsync(Ct), d => d.Directive.Id == id).Rates;
        Assert.Equal((4, 1, 0, 0, 3), (after.Assignments, after.OnTime, after.Late, after.Overdue, after.Pending));
        Assert.All(await desk.UnitsAsync(February, tree, Ct), u => Assert.Equal(UnitRecord.Empty, u.Record));
        var march = (await desk.UnitsAsync(March, tree, Ct)).ToDictionary(u => u.UnitId.Value, u => u.Record);
        Assert.Equal(UnitRecord.Empty with { Assigned = 1, OnTime = 1 }, march["dang-bo-a"]);
        Assert.Equal(UnitRecord.Empty with { Assigned = 1, Pending = 1 }, march["chi-bo-b"]);
        Assert.Equal(UnitRecord.Empty with { Assigned = 1, Pending = 1 }, march["chi-bo-a1"]);
        var line = Assert.Single(await desk.UnitTasksAsync(UnitId.Parse("dang-bo-a").Value, Spring, Ct));
        Assert.Equal("10/03/2026", line.Task.Deadline!.Value.Display);

        var (_, list) = await _h.PageAsync("office");
        var (_, board) = await _h.PageAsync($"office/directives/{id.Value}");
        var (_, record) = await _h.PageAsync($"office/units/dang-bo-a?tu=202602&den=202603");
        Assert.Contains("<td data-label=\"Hạn cuối\">10/03/2026</td>", list, StringComparison.Ordinal);
        Assert.DoesNotContain("quá hạn</span>", list, StringComparison.Ordinal);
        Assert.Contains("hạn 10/03/2026", board, StringComparison.Ordinal);
        Assert.Contains("Đúng hạn · 26/02/2026", board, StringComparison.Ordinal);
        Assert.Contains("Chi bộ Phòng Tổng hợp", board, StringComparison.Ordinal);
        Assert.Contains("Đã hủy", board, StringComparison.Ordinal);
        Assert.Contains("10/03/2026", record, StringComparison.Ordinal);
        Assert.DoesNotContain("25/02/2026", record, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edit_whose_read_models_were_cut_short_reads_from_the_versions_until_the_repair_sweep_builds_it_again_old_month_included()
    {
        var registered = await RegisterAsync();
        var id = DirectiveId.Parse(registered.GetProperty("id").GetString()).Value;
        await SubmitAtAsync(registered, "dang-bo-a", "t1", Vietnam(2, 26, 10));
        _h.Clock.SetUtcNow(Vietnam(2, 27, 9));

        // As a process that stopped right after storing the edit leaves it: the directive edited, its read models as they were.
        var current = (await Get<DirectiveEditor>().CurrentAsync(id, Ct))!;
        var edit = DirectiveEdits.Apply(
            current.Value,
            new DirectiveEditInput(null, null, null, null, "Ngân hàng chưa kịp mở tài khoản", [new TaskEditInput("t1", ["chi-bo-a1"], null, null, "10/03/2026", false), new TaskEditInput("t2", null, null, null, "12/03/2026", false)], null),
            await Get<UnitRegistry>().TreeAsync(Ct),
            "Văn thư",
            _h.Clock.GetUtcNow(),
            await Get<ICalendarSource>().CurrentAsync(Ct));
        Assert.True((await Get<IDirectiveEditStore>().SaveEditAsync(edit.Value, current.Version!.Value, Ct)).IsSuccess);
        var staleTally = (await Get<IProgressStore>().TallyAsync(id, Ct))!.Value;

        // Until the sweep: the list reads the versions, the board builds its shards of before the edit on the spot.
        await AssertListAndBoardEqualRecomputeAsync(id);

        var outcome = await Get<ProgressProjector>().RepairAsync(TimeSpan.FromDays(60), Ct);
        var again = await Get<ProgressProjector>().RepairAsync(TimeSpan.FromDays(60), Ct);
        var tally = (await Get<IProgressStore>().TallyAsync(id, Ct))!.Value;

        Assert.Equal(0, staleTally.Revision);
        Assert.Equal([new Month(2026, 2)], staleTally.Months);
        Assert.Equal(1, outcome.Rebuilt);
        Assert.Equal(0, again.Rebuilt);
        Assert.Equal(1, tally.Revision);
        Assert.Equal([new Month(2026, 3)], tally.Months);
        Assert.All(await Get<IProgressStore>().BoardAsync(id, Ct), b => Assert.Equal(1, b.Revision));
        await AssertReadModelsEqualRecomputeAsync(id, Spring);
        await AssertReadModelsEqualRecomputeAsync(id, February);
        var tree = await Get<UnitRegistry>().TreeAsync(Ct);
        // Both dated tasks moved to March: February, a month the directive no longer counts in, was built again from the counts' list.
        Assert.All(await Get<Desk>().UnitsAsync(February, tree, Ct), u => Assert.Equal(UnitRecord.Empty, u.Record));
        var march = (await Get<Desk>().UnitsAsync(March, tree, Ct)).ToDictionary(u => u.UnitId.Value, u => u.Record);
        Assert.Equal(UnitRecord.Empty with { Assigned = 2, Pending = 2 }, march["chi-bo-b"]);
    }

    [Fact]
    public async Task A_closed_directive_cannot_be_edited_through_the_API_nor_the_page_and_its_board_offers_no_edit()
    {
        var registered = await RegisterAsync();
        var id = registered.GetProperty("id").GetString()!;
        using (var close = await _h.Office.SendAsync(HttpMethod.Post, $"api/directives/{id}/close", new { note = "Đã tổng hợp" }))
        {
            Assert.True(close.IsSuccessStatusCode, await close.Content.ReadAsStringAsync(Ct));
        }

        var (api, problem) = await EditAsync(id, "\"r0\"", new { reason = "Gia hạn", tasks = new[] { new { id = "t1", deadline = "10/03/2026" } } });
        var (shown, page) = await _h.PageAsync($"office/directives/{id}/sua");
        using var posted = await _h.PostFormAsync($"office/directives/{id}/sua", new()
        {
            ["revision"] = "0", ["number"] = "000-CV/ĐU", ["issuedOn"] = "13/02/2026", ["issuer"] = "Đảng ủy phường Đống Đa",
            ["subject"] = "Triển khai tài khoản ngân hàng và dịch vụ công", ["reason"] = "Gia hạn", ["tasks[0].id"] = "t1", ["tasks[0].deadline"] = "10/03/2026",
        });
        var refused = await posted.Content.ReadAsStringAsync(Ct);
        var (_, board) = await _h.PageAsync($"office/directives/{id}");
        using var read = await _h.Office.SendAsync(HttpMethod.Get, $"api/directives/{id}");
        var directive = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.Conflict, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.Equal("directive-closed", problem.GetProperty("code").GetString());
        Assert.Contains("không sửa được nữa", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, shown);
        Assert.Contains("Công văn đã kết thúc", page, StringComparison.Ordinal);
        Assert.Contains("mở lại công văn", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, posted.StatusCode);
        Assert.Contains("không sửa được nữa", refused, StringComparison.Ordinal);
        Assert.DoesNotContain($"/office/directives/{id}/sua", board, StringComparison.Ordinal);
        Assert.Equal("2026-02-25", directive.GetProperty("tasks")[0].GetProperty("deadline").GetString());
        Assert.Equal(0, directive.GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public async Task Units_added_by_an_edit_are_told_by_email_once_with_their_link_at_its_version_and_an_undated_task_reads_khong_co_han()
    {
        var registered = await RegisterAsync();
        var id = registered.GetProperty("id").GetString()!;
        await _h.RunAtAsync(Vietnam(2, 20, 9, 5)); // the registration's notices
        using (var reissue = await _h.Office.SendAsync(HttpMethod.Post, $"api/directives/{id}/units/dang-bo-a/link/reissue", new { }))
        {
            Assert.True(reissue.IsSuccessStatusCode, await reissue.Content.ReadAsStringAsync(Ct));
        }

        await _h.RunAtAsync(Vietnam(2, 20, 9, 10)); // the new link's email
        var (edited, answer) = await EditAsync(id, "\"r0\"", new
        {
            tasks = new object[]
            {
                new { id = "t2", addUnits = new[] { "dang-bo-a" } }, // already in the directive, with a reissued link
                new { id = "t3", addUnits = new[] { "chi-bo-a1" } }, // new to the directive
            },
        });
        var told = await _h.RunAtAsync(Vietnam(2, 20, 9, 15));
        var again = await _h.RunAtAsync(Vietnam(2, 20, 9, 20), concurrently: 2);

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(2, told.Count);
        Assert.Empty(again);
        var added = Assert.Single(told, m => m.To.Any(t => t.Email == "chi-bo-a1@example.invalid"));
        Assert.StartsWith("Giao nhiệm vụ: Công văn số 000-CV/ĐU", added.Subject, StringComparison.Ordinal);
        Assert.Contains("  - Đăng nhập Cổng dịch vụ công bằng VNeID mức 2 (không có hạn).", TextOf(added), StringComparison.Ordinal);
        Assert.Contains(OfficeClient.TokenFor(answer, "chi-bo-a1"), TextOf(added), StringComparison.Ordinal);
        var known = Assert.Single(told, m => m.To.Any(t => t.Email == "dang-bo-a@example.invalid"));
        Assert.Contains("  - Báo cáo số tài khoản đã mở (hạn hết ngày 24/02/2026).", TextOf(known), StringComparison.Ordinal);
        Assert.Contains("  - Mở tài khoản ngân hàng mang tên tổ chức đảng (hạn hết ngày 25/02/2026).", TextOf(known), StringComparison.Ordinal);
        var link = OfficeClient.TokenFor(answer, "dang-bo-a");
        Assert.Contains(link, TextOf(known), StringComparison.Ordinal);
        Assert.NotEqual(OfficeClient.TokenFor(registered, "dang-bo-a"), link);
        using var open = new HttpRequestMessage(HttpMethod.Get, $"u/{link}");
        open.Headers.Accept.ParseAdd("text/html");
        using var opened = await _h.Office.Http.SendAsync(open, Ct);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode); // the link of the unit's current version
        Assert.All(await _h.OutboxAsync(id), e => Assert.True(e.GetProperty("step").GetString() is NoticeSteps.Assigned or NoticeSteps.Reissued));
    }
    [Fact]
    public async Task The_units_page_in_a_directive_offers_no_reminder_nor_hold_for_a_task_without_a_deadline_and_refuses_one_posted()
    {
        var registered = await RegisterAsync();
        var id = registered.GetProperty("id").GetString()!;

        var (_, page) = await _h.PageAsync($"office/directives/{id}/units/dang-bo-a");
        using var held = await _h.PostFormAsync($"office/directives/{id}/units/dang-bo-a/tasks/t3", new() { ["action"] = "hold", ["through"] = "25/02/2026" });
        var refused = await held.Content.ReadAsStringAsync(Ct);
        var ladder = await _h.App.Services.GetRequiredService<ServerlessWorkflow.Domain.Escalation.IEscalationStore>().LadderAsync(new AssignmentKey(DirectiveId.Parse(id).Value, TaskId.Parse("t3").Value, UnitId.Parse("dang-bo-a").Value), Ct);

        Assert.Contains("Không có hạn: chỉ theo dõi", page, StringComparison.Ordinal);
        Assert.Contains($"/office/directives/{id}/units/dang-bo-a/tasks/t1\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"/office/directives/{id}/units/dang-bo-a/tasks/t3\"", page, StringComparison.Ordinal);
        Assert.Contains("Nhiệm vụ không có hạn: chỉ theo dõi, không nhắc.", refused, StringComparison.Ordinal);
        Assert.Null(ladder.Value.Hold);
    }
}
