using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// Issue 16, point 7: a statistics task is done only by an accepted file, and the unit's form
/// chooses no status for the unit — a note must not close a task by mistake.
/// </summary>
public sealed class StatisticsTaskCompletionTests(StorageFixture storage) : IAsyncLifetime
{
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;
    private JsonElement _directive;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Token => OfficeClient.TokenFor(_directive, "dang-bo-a");

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
        using var response = await _office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "643-CV/ĐU",
            issuedOn = "2026-02-05",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Báo cáo thống kê",
            tasks = new object[]
            {
                new { title = "Gửi danh sách cán bộ quản trị", kind = "confirmation", deadline = "2099-12-30", units = new[] { "dang-bo-a" } },
                new { title = "Báo cáo thống kê theo mẫu", kind = "statistics", deadline = "2099-12-31", units = new[] { "dang-bo-a" } },
            },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        _directive = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).Clone();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_statistics_task_reported_done_without_its_file_is_refused_and_stores_nothing()
    {
        using var json = await PostJsonAsync("t2", new { status = "done", note = "Đã gửi bảng qua email" });
        using var page = await PostFormAsync("t2", new() { ["status"] = "done", ["note"] = "Đã gửi bảng qua email" });

        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        var problem = await json.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(problem.GetProperty("fields").EnumerateArray(), f => f.GetProperty("code").GetString() == "statistics-need-accepted-file");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var text = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync(Ct));
        Assert.Contains(UnitWorkspace.StatisticsNeedAcceptedFile, text, StringComparison.Ordinal);
        Assert.Contains("Đã gửi bảng qua email</textarea>", text, StringComparison.Ordinal);
        var unit = await AssignmentAsync("t2");
        Assert.Equal("pending", unit.GetProperty("state").GetString());
        Assert.Equal(0, unit.GetProperty("versions").GetInt32());
    }

    [Fact]
    public async Task A_progress_note_on_a_statistics_task_is_stored_and_leaves_the_task_open()
    {
        using var posted = await PostJsonAsync("t2", new { status = "in-progress", note = "Đang tổng hợp số liệu các chi bộ" });

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var unit = await AssignmentAsync("t2");
        Assert.Equal("pending", unit.GetProperty("state").GetString());
        Assert.Equal(1, unit.GetProperty("versions").GetInt32());
    }

    [Fact]
    public async Task The_units_page_chooses_no_status_for_it_and_offers_a_statistics_task_only_a_progress_note()
    {
        var html = await _office.Http.GetStringAsync(new Uri($"u/{Token}", UriKind.Relative), Ct);

        var confirmation = Section(html, "t1");
        Assert.Matches("<option value(=\"\")? selected(=\"\")? disabled(=\"\")?>— Chọn tình trạng —</option>", confirmation);
        Assert.DoesNotContain("value=\"done\" selected", confirmation, StringComparison.Ordinal);
        var statistics = Section(html, "t2");
        Assert.DoesNotContain("value=\"done\"", statistics, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"status\" value=\"in-progress\">", statistics, StringComparison.Ordinal);
        Assert.Contains("Gửi ghi chú", statistics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_that_fails_comes_back_with_the_status_and_the_note_the_unit_chose()
    {
        using var page = await PostFormAsync("t1", new() { ["status"] = "in-progress", ["note"] = new string('x', SubmissionInput.MaxNoteLength + 1) });

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var confirmation = Section(await page.Content.ReadAsStringAsync(Ct), "t1");
        Assert.Contains("value=\"in-progress\" selected", confirmation, StringComparison.Ordinal);
        Assert.Contains(new string('x', 100), confirmation, StringComparison.Ordinal);
        Assert.Equal(0, (await AssignmentAsync("t1")).GetProperty("versions").GetInt32());
    }

    /// <summary>The HTML of one task's section of the unit's page.</summary>
    private static string Section(string html, string task)
    {
        var start = html.IndexOf($"<section id=\"task-{task}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No section for task {task}.");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    private async Task<HttpResponseMessage> PostJsonAsync(string task, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{Token}/tasks/{task}", UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Accept.ParseAdd("application/json");
        return await _office.Http.SendAsync(request, Ct);
    }

    private async Task<HttpResponseMessage> PostFormAsync(string task, Dictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{Token}/tasks/{task}", UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Accept.ParseAdd("text/html");
        return await _office.Http.SendAsync(request, Ct);
    }

    /// <summary>The unit's standing on <paramref name="task"/> as the office's API gives it.</summary>
    private async Task<JsonElement> AssignmentAsync(string task)
    {
        using var response = await _office.SendAsync(HttpMethod.Get, $"api/directives/{_directive.GetProperty("id").GetString()}");
        var directive = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return directive.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("id").GetString() == task)
            .GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == "dang-bo-a");
    }
}
