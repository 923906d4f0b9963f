using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// The working-day calendar end to end, on a fake clock (10/02/2026): its API, the office's changes
/// (who, when, what; past days refused), deadlines in working days that follow a change, days overdue
/// in working days, and a change made on one instance reaching another through the stored version.
/// </summary>
public sealed class CalendarTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 2, 10, 9, 0, 0, Vn));
    private readonly string _prefix = StorageFixture.NewPrefix();
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = App(_clock);
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_year_is_the_Labour_Codes_until_the_office_changes_it_and_each_change_is_recorded_with_who_made_it()
    {
        var before = await GetAsync("api/calendar/2026");
        Assert.False(before.GetProperty("decided").GetBoolean());
        Assert.Equal(("2026-02-17", "2026-02-16", "2026-02-20", true), Tet(before));
        Assert.Equal("2026-04-26", before.GetProperty("hungKingsDay").GetString());
        Assert.Contains(before.GetProperty("days").EnumerateArray(), d => d.GetProperty("date").GetString() == "2026-04-27" && d.GetProperty("kind").GetString() == "compensatory-day-off");

        using var put = await _office.SendAsync(HttpMethod.Put, "api/calendar/2026", new
        {
            tetFrom = "14/02/2026",
            tetTo = "22/02/2026",
            nationalDay = "after",
            overrides = new[] { new { date = "2026-03-02", change = "day-off", reason = "Nghỉ theo Thông báo 15-TB/ĐU" } },
        });
        var after = await put.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True(after.GetProperty("decided").GetBoolean());
        Assert.Equal(("2026-02-17", "2026-02-14", "2026-02-22", false), Tet(after));
        Assert.Equal("2026-09-03", after.GetProperty("nationalDay").GetProperty("date").GetString());
        Assert.Equal("Khóa đặt khi triển khai", after.GetProperty("changedBy").GetString());
        var change = Assert.Single(after.GetProperty("changes").EnumerateArray());
        Assert.Equal("Khóa đặt khi triển khai", change.GetProperty("by").GetString());
        Assert.Contains("Thêm ngày nghỉ 02/03/2026: Nghỉ theo Thông báo 15-TB/ĐU", change.GetProperty("what").EnumerateArray().Select(w => w.GetString()));

        // The audit trail has it too, with every change.
        using var audit = await _office.SendAsync(HttpMethod.Get, "api/audit");
        var trail = await audit.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var recorded = Assert.Single(trail.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "calendar-changed");
        Assert.Equal("Năm 2026", recorded.GetProperty("subject").GetString());
        Assert.Contains(recorded.GetProperty("changes").EnumerateArray(), c => c.GetProperty("after").GetString() == "Thêm ngày nghỉ 02/03/2026: Nghỉ theo Thông báo 15-TB/ĐU");

        // The same again changes nothing and records nothing.
        using var again = await _office.SendAsync(HttpMethod.Put, "api/calendar/2026", new
        {
            tetFrom = "2026-02-14",
            tetTo = "2026-02-22",
            nationalDay = "after",
            overrides = new[] { new { date = "02/03/2026", change = "day-off", reason = "Nghỉ theo Thông báo 15-TB/ĐU" } },
        });
        Assert.Single((await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("changes").EnumerateArray());
        using var auditAfter = await _office.SendAsync(HttpMethod.Get, "api/audit");
        var trailAfter = await auditAfter.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Single(trailAfter.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "calendar-changed");
    }

    [Fact]
    public async Task A_change_to_a_day_already_past_or_a_wrong_value_is_refused_field_by_field_and_stores_nothing()
    {
        using var past = await _office.SendAsync(HttpMethod.Put, "api/calendar/2026", new { overrides = new[] { new { date = "2026-02-09", change = "day-off", reason = "" } } });
        using var wrong = await _office.SendAsync(HttpMethod.Put, "api/calendar/2026", new { weeklyRest = "monday", tetFrom = "2026-02-18", tetTo = "2026-02-20", overrides = new[] { new { date = "2026-03-03", change = "maybe", reason = "" } } });
        using var year = await _office.SendAsync(HttpMethod.Get, "api/calendar/1999");

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("09/02/2026 đã qua", await past.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var fields = (await wrong.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("field").GetString()).ToList();
        Assert.Equal(["weeklyRest", "tetFrom", "overrides[0].change"], fields);
        Assert.Equal(HttpStatusCode.NotFound, year.StatusCode);
        Assert.False((await GetAsync("api/calendar/2026")).GetProperty("decided").GetBoolean());
    }

    [Fact]
    public async Task A_deadline_in_working_days_is_counted_with_the_calendar_follows_its_changes_and_lateness_counts_working_days()
    {
        var registered = await RegisterAsync(new { title = "Báo cáo kết quả rà soát", kind = "confirmation", workingDays = 5, countFrom = "2026-02-13", units = new[] { "dang-bo-a", "chi-bo-b" } });
        var task = registered.GetProperty("tasks")[0];
        Assert.Equal("2026-02-27", task.GetProperty("deadline").GetString());
        Assert.Equal("05 ngày làm việc kể từ ngày 13/02/2026", task.GetProperty("term").GetProperty("text").GetString());
        Assert.Contains("Tết Nguyên đán 16/02–20/02", task.GetProperty("term").GetProperty("counted").GetString(), StringComparison.Ordinal);
        var id = registered.GetProperty("id").GetString()!;

        // The office adds a day off inside the term: the deadline moves, for the API and the unit alike.
        using var put = await _office.SendAsync(HttpMethod.Put, "api/calendar/2026", new { overrides = new[] { new { date = "2026-02-25", change = "day-off", reason = "Nghỉ thêm" } } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var moved = (await GetAsync($"api/directives/{id}")).GetProperty("tasks")[0];
        Assert.Equal("2026-03-02", moved.GetProperty("deadline").GetString());
        Assert.Contains("Nghỉ thêm 25/02", moved.GetProperty("term").GetProperty("counted").GetString(), StringComparison.Ordinal);
        using (var page = await _office.Http.GetAsync(new Uri($"u/{OfficeClient.TokenFor(registered, "chi-bo-b")}", UriKind.Relative), Ct))
        {
            var html = await page.Content.ReadAsStringAsync(Ct);
            Assert.Contains("02/03/2026", html, StringComparison.Ordinal);
            Assert.Contains("05 ngày làm việc kể từ ngày 13/02/2026", html, StringComparison.Ordinal);
            Assert.Contains("còn 8 ngày làm việc", html, StringComparison.Ordinal); // 11–13, 23, 24, 26, 27/02 and 02/03
        }

        // A week later: one unit reported on 03/03, the other not at all.
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 3, 10, 0, 0, Vn));
        using (var late = await _office.Http.PostAsJsonAsync($"u/{OfficeClient.TokenFor(registered, "dang-bo-a")}/tasks/t1", new { status = "done" }, Ct))
        {
            Assert.True(late.IsSuccessStatusCode);
        }

        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 9, 10, 0, 0, Vn));
        var units = (await GetAsync($"api/directives/{id}")).GetProperty("tasks")[0].GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("unitId").GetString()!);
        Assert.Equal(("submitted-late", 1, "working-days"), Standing(units["dang-bo-a"]));
        Assert.Equal(("overdue", 5, "working-days"), Standing(units["chi-bo-b"])); // 03–06/03 and 09/03; 7 calendar days
    }

    [Fact]
    public async Task A_deadline_moved_earlier_by_a_change_gets_an_entry_in_the_deadline_checks_index_at_its_new_first_step()
    {
        var registered = await RegisterAsync(new { title = "Báo cáo", kind = "confirmation", deadline = "05 ngày làm việc kể từ ngày 13/02/2026", units = new[] { "chi-bo-b" } });
        var id = registered.GetProperty("id").GetString()!;
        var index = new TableServiceClient(storage.ConnectionString).GetTableClient(_prefix + "duequeue");
        async Task<List<string>> DueAsync()
        {
            var keys = new List<string>();
            await foreach (var row in index.QueryAsync<TableEntity>(e => e.PartitionKey == "due", cancellationToken: Ct))
            {
                keys.Add(row.RowKey);
            }

            return keys.Where(k => k.Contains(id, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        }

        // Reminder 3 days before the last day (27/02), at 07:00 Vietnam time.
        Assert.Equal([$"20260224000000|{id}|t1|chi-bo-b"], await DueAsync());

        // A later deadline needs no entry (the one it has comes early and is put off by the check).
        using (var later = await _office.SendAsync(HttpMethod.Put, "api/calendar/2026", new { overrides = new[] { new { date = "2026-02-26", change = "day-off", reason = "Nghỉ thêm" } } }))
        {
            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        }

        Assert.Equal([$"20260224000000|{id}|t1|chi-bo-b"], await DueAsync());

        // The year replaced: 26/02 a working day again and Saturday 21/02 a make-up day, so the last day is 26/02,
        // earlier than 02/03: its reminder is due on 23/02 at 07:00, before the entry the index holds.
        using (var earlier = await _office.SendAsync(HttpMethod.Put, "api/calendar/2026", new { overrides = new[] { new { date = "2026-02-21", change = "working-day", reason = "Làm bù" } } }))
        {
            Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
        }

        Assert.Equal("2026-02-26", (await GetAsync($"api/directives/{id}")).GetProperty("tasks")[0].GetProperty("deadline").GetString());
        Assert.Equal([$"20260223000000|{id}|t1|chi-bo-b", $"20260224000000|{id}|t1|chi-bo-b"], await DueAsync());
    }

    [Fact]
    public async Task With_calendar_days_chosen_lateness_counts_calendar_days()
    {
        await using var app = App(_clock, new() { ["Calendar:CountDaysIn"] = "calendar-days" });
        var office = new OfficeClient(app.Start());
        var registered = await RegisterAsync(new { title = "Báo cáo", kind = "confirmation", deadline = "05 ngày làm việc kể từ ngày 13/02/2026", units = new[] { "chi-bo-b" } }, office);
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 9, 10, 0, 0, Vn));

        var unit = (await GetAsync($"api/directives/{registered.GetProperty("id").GetString()}", office)).GetProperty("tasks")[0].GetProperty("units")[0];

        Assert.Equal(("overdue", 10, "calendar-days"), Standing(unit)); // last day 27/02
    }

    [Fact]
    public async Task A_change_saved_on_one_instance_reaches_another_at_its_next_version_check()
    {
        var otherClock = new FakeTimeProvider(_clock.GetUtcNow());
        await using var other = App(otherClock, new() { ["Calendar:CheckEverySeconds"] = "60" });
        var there = new OfficeClient(other.Start());
        Assert.Equal("2026-02-27", (await GetAsync("api/working-days?days=5&from=13/02/2026", there)).GetProperty("lastDay").GetString());

        using var put = await _office.SendAsync(HttpMethod.Put, "api/calendar/2026", new { overrides = new[] { new { date = "2026-02-24", change = "day-off", reason = "Nghỉ thêm" } } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("2026-03-02", (await GetAsync("api/working-days?days=5&from=13/02/2026")).GetProperty("lastDay").GetString());

        Assert.Equal("2026-02-27", (await GetAsync("api/working-days?days=5&from=13/02/2026", there)).GetProperty("lastDay").GetString()); // its copy, within the minute
        otherClock.Advance(TimeSpan.FromSeconds(61));
        var counted = await GetAsync("api/working-days?days=5&from=13/02/2026", there);
        Assert.Equal("2026-03-02", counted.GetProperty("lastDay").GetString());
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 0, 0, 0, Vn), counted.GetProperty("deadlineAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_calendar_is_stored_in_one_partition_a_year_its_history_and_a_version_stamp()
    {
        using var put = await _office.SendAsync(HttpMethod.Put, "api/calendar/2026", new { overrides = new[] { new { date = "2026-03-02", change = "day-off", reason = "Nghỉ thêm" } } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var table = new TableServiceClient(storage.ConnectionString).GetTableClient(_prefix + "calendar");
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            Assert.Equal("calendar", row.PartitionKey);
            keys.Add(row.RowKey);
        }

        Assert.Equal(3, keys.Count);
        Assert.Contains("version", keys);
        Assert.Contains("year|2026", keys);
        Assert.Single(keys, k => k.StartsWith("change|2026|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Counting_working_days_answers_the_last_day_and_how_it_was_counted_or_what_is_wrong()
    {
        var counted = await GetAsync("api/working-days?days=3&from=2026-08-31");
        using var wrong = await _office.SendAsync(HttpMethod.Get, "api/working-days?days=0&from=31/02/2026");

        Assert.Equal("2026-09-07", counted.GetProperty("lastDay").GetString());
        Assert.Contains("Quốc khánh 01/09–02/09", counted.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(["from"], (await wrong.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("field").GetString()));
    }

    private HandlerApp App(TimeProvider clock, Dictionary<string, string?>? settings = null) =>
        new(storage.ConnectionString, _prefix, settings, s => s.AddSingleton(clock));

    private static (string, string, string, bool) Tet(JsonElement year)
    {
        var tet = year.GetProperty("tet");
        return (tet.GetProperty("newYear").GetString()!, tet.GetProperty("from").GetString()!, tet.GetProperty("to").GetString()!, tet.GetProperty("byLaw").GetBoolean());
    }

    private static (string, int, string) Standing(JsonElement unit) =>
        (unit.GetProperty("state").GetString()!, unit.GetProperty("daysOverdue").GetInt32(), unit.GetProperty("daysCountedIn").GetString()!);

    private async Task<JsonElement> RegisterAsync(object task, OfficeClient? office = null)
    {
        using var response = await (office ?? _office).SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "15-CV/ĐU",
            issuedOn = "2026-02-10",
            issuer = "Đảng ủy",
            subject = "Rà soát tài khoản",
            tasks = new[] { task },
        });
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<JsonElement> GetAsync(string path, OfficeClient? office = null)
    {
        using var response = await (office ?? _office).SendAsync(HttpMethod.Get, path);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
