using ServerlessWorkflow.Tests.Infrastructure;
using static ServerlessWorkflow.Tests.Infrastructure.EscalationHarness;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// Issue 19, point 3: the ladder counts days overdue in working days and sends nothing on a day off,
/// across Tết Bính Ngọ (14/02–22/02/2026 off: the weekend, the five days the government gave, the
/// weekend) with a clock moved day by day and the timer run every morning.
/// </summary>
public sealed class WorkingDayLadderTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly EscalationHarness _h = new(storage);

    public async ValueTask InitializeAsync()
    {
        // The calendar as an office runs it: working days, nothing sent on a day off.
        _h.Settings.Remove("Calendar:CountDaysIn");
        _h.Settings.Remove("Escalation:SendOnDaysOff");
        _h.StartClockAt(Vietnam(2, 9, 9)); // Monday 09/02/2026
        await _h.StartAsync();
        await _h.RegisterAsync(["Trước ngày 14/02/2026"], ["chi-bo-b"]); // last day Friday 13/02, the eve of Tết's days off
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Across_Tet_reminders_go_on_working_days_before_it_nothing_goes_during_it_and_the_steps_count_working_days_after_it()
    {
        var sent = new List<(DateOnly Day, string To, string Subject)>();
        for (var day = new DateOnly(2026, 2, 10); day <= new DateOnly(2026, 2, 28); day = day.AddDays(1))
        {
            foreach (var mail in await _h.RunAtAsync(Vietnam(day.Month, day.Day, 7, 5)))
            {
                sent.AddRange(mail.To.Select(t => (day, t.Email, mail.Subject ?? string.Empty)));
            }
        }

        string Days(string to) => string.Join(", ", sent.Where(s => s.To == to).Select(s => s.Day.ToString("dd/MM", System.Globalization.CultureInfo.InvariantCulture)));

        // Nothing at all from Saturday 14/02 to Sunday 22/02, nor on Saturday 28/02 (the digest included).
        Assert.DoesNotContain(sent, s => s.Day is { Day: >= 14 and <= 22 } || s.Day.Day == 28);

        // Reminders 3 and 1 working days before the last day; step 1 on the first working day after it.
        Assert.Equal("10/02, 12/02, 23/02", Days("chi-bo-b@example.invalid"));
        var step1 = sent.Single(s => s.To == "chi-bo-b@example.invalid" && s.Day.Day == 23);
        Assert.StartsWith("Quá hạn 1 ngày làm việc:", step1.Subject, StringComparison.Ordinal);

        // Step 2 on the 2nd working day late, to the parent; step 3 on the 5th (27/02), to the committees.
        Assert.Equal("24/02", Days("dang-uy@example.invalid"));
        Assert.Contains("2 ngày làm việc", sent.Single(s => s.To == "dang-uy@example.invalid").Subject, StringComparison.Ordinal);
        Assert.Equal("27/02", Days("btv@example.invalid"));

        // The office's digest: on working days only, from the first working day the task is late.
        Assert.Equal("23/02, 24/02, 25/02, 26/02, 27/02", Days("vanphong@example.invalid"));
    }

    [Fact]
    public async Task The_preview_of_the_unit_page_names_the_first_working_day_after_Tet_for_step_1()
    {
        _h.Clock.SetUtcNow(Vietnam(2, 16, 10)); // during Tết, the deadline passed

        var (_, page) = await _h.PageAsync($"office/directives/{(await DirectiveIdAsync())}/units/chi-bo-b");

        Assert.Contains("07:00 23/02/2026", page, StringComparison.Ordinal);
    }

    private async Task<string> DirectiveIdAsync()
    {
        using var response = await _h.Office.SendAsync(HttpMethod.Get, "api/directives");
        var list = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content, TestContext.Current.CancellationToken);
        return list.EnumerateArray().Single().GetProperty("id").GetString()!;
    }
}
