using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Tests.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>
/// A statistics task on the office's own template, through the running handler and Azurite: the
/// template read and shown, the task registered on it, units' uploads checked, annotated, consolidated
/// now and at the deadline, exported into the office's file; the office's upload for a unit.
/// </summary>
public sealed class TemplateStatisticsTests(StorageFixture storage) : IAsyncLifetime
{
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_offices_template_is_read_and_shown_before_any_directive_is_created_and_a_file_without_a_table_is_refused()
    {
        using var read = await _office.SendFileAsync("api/templates", TemplateFixtures.File(TemplateFixtures.B), "mau.xlsx");
        using var again = await _office.SendFileAsync("api/templates", TemplateFixtures.File(TemplateFixtures.B), "mau.xlsx");
        using var noTable = await _office.SendFileAsync("api/templates", new XlsxFixture().Sheet("S", [(1, ["Họ tên"]), (2, ["Nguyễn Văn A"])]).Build());
        using var anonymous = await _office.SendFileAsync("api/templates", TemplateFixtures.File(TemplateFixtures.B), key: null);

        Assert.Equal(HttpStatusCode.Created, read.StatusCode);
        var template = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString(), template.GetProperty("id").GetString());
        Assert.Equal(2, template.GetProperty("headerRows").GetInt32());
        Assert.Equal(["Năm 2025 – Nam", "Năm 2025 – Nữ", "Năm 2026 – Nam", "Năm 2026 – Nữ"], template.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(6, template.GetProperty("rows").GetArrayLength());
        Assert.Equal(23, template.GetProperty("figureCells").GetInt32());
        Assert.Equal(["F12"], template.GetProperty("notApplicable").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, noTable.StatusCode);
        Assert.Contains("Không tìm thấy bảng số liệu trong tệp mẫu", await noTable.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var get = await _office.SendAsync(HttpMethod.Get, "api/templates/643");
        Assert.Equal(7, (await get.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("rows").GetArrayLength());
    }

    [Fact]
    public async Task Uploads_against_the_offices_template_are_checked_annotated_consolidated_and_exported_into_its_own_file()
    {
        var (directive, id) = await RegisterAsync(TemplateFixtures.A, "2099-12-31", ["dang-bo-a", "chi-bo-b"]);
        var tokenA = OfficeClient.TokenFor(directive, "dang-bo-a");
        var tokenB = OfficeClient.TokenFor(directive, "chi-bo-b");

        var good = await UploadAsync(directive, "dang-bo-a", tokenA, TemplateFixtures.File("mau-a-dung"));
        var wrong = await UploadAsync(directive, "chi-bo-b", tokenB, TemplateFixtures.File("mau-a-sai"));
        await ImportAsync(good);
        await ImportAsync(wrong);
        var statistics = await StatisticsAsync(id);
        var template = await _office.Http.GetAsync(new Uri($"u/{tokenA}/tasks/t1/template.xlsx", UriKind.Relative), Ct);
        var uploadId = wrong.Split('/')[2][..^5];
        using var annotated = await _office.Http.GetAsync(new Uri($"u/{tokenB}/tasks/t1/statistics/{uploadId}.xlsx", UriKind.Relative), Ct);
        using var notTheirs = await _office.Http.GetAsync(new Uri($"u/{tokenA}/tasks/t1/statistics/{uploadId}.xlsx", UriKind.Relative), Ct);
        using var accepted = await _office.Http.GetAsync(new Uri($"u/{tokenA}/tasks/t1/statistics/{good.Split('/')[2][..^5]}.xlsx", UriKind.Relative), Ct);
        var page = await _office.Http.GetStringAsync(new Uri($"u/{tokenB}", UriKind.Relative), Ct);
        using var export = await _office.SendAsync(HttpMethod.Get, $"api/directives/{id}/statistics.xlsx");
        var exported = await export.Content.ReadAsByteArrayAsync(Ct);

        var expected = StatisticsParser.Parse(TemplateFixtures.File("mau-a-dung"), TemplateFixtures.Template(TemplateFixtures.A), TemplateFixtures.Template(TemplateFixtures.A).SuggestedRules).Report!.ToRows();
        Assert.Equal(expected.Select(r => r.Select(v => (long)v).ToArray()), statistics.GetProperty("totals").GetProperty("values").Deserialize<long[][]>());
        Assert.Equal("rejected", Unit(statistics, "chi-bo-b").GetProperty("state").GetString());
        Assert.Equal(["C7", "D8", "D9", "E21"], Unit(statistics, "chi-bo-b").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("cell").GetString()));
        Assert.Equal(TemplateFixtures.File(TemplateFixtures.A), await template.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, annotated.StatusCode);
        Assert.Equal(["C7", "D8", "D9", "E21"], AnnotatedWorkbook.Comments(await annotated.Content.ReadAsByteArrayAsync(Ct)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, accepted.StatusCode);
        Assert.Contains($"/u/{tokenB}/tasks/t1/statistics/{uploadId}.xlsx", page, StringComparison.Ordinal);
        Assert.Contains($"/u/{tokenB}/tasks/t1/template.xlsx", page, StringComparison.Ordinal);
        var sheets = SpreadsheetReader.ReadXlsx(exported);
        Assert.Equal(["Tổng hợp", "Theo đơn vị", "Chưa báo cáo"], sheets.Select(s => s.Name));
        Assert.Equal(expected[14][0], sheets[0][21, 3]!.Value.Number);
        Assert.Equal("BÁO CÁO", sheets[0][1, 1]!.Value.Text);
        Assert.Contains(sheets[2].Cells.Values, c => c.Text == "Chi bộ Văn phòng");
    }

    [Fact]
    public async Task A_file_after_the_deadline_counts_now_but_not_in_the_figures_at_the_deadline_and_the_office_downloads_either()
    {
        var (directive, id) = await RegisterAsync(TemplateFixtures.C, "2020-01-31", ["dang-bo-a"]);
        var late = await UploadAsync(directive, "dang-bo-a", OfficeClient.TokenFor(directive, "dang-bo-a"), TemplateFixtures.File("mau-c-dung"));
        await ImportAsync(late);

        var statistics = await StatisticsAsync(id);
        using var now = await _office.SendAsync(HttpMethod.Get, $"api/directives/{id}/statistics.xlsx");
        using var atDeadline = await _office.SendAsync(HttpMethod.Get, $"api/directives/{id}/statistics.xlsx?at=deadline");

        Assert.True(statistics.GetProperty("deadlinePassed").GetBoolean());
        Assert.Equal(1, statistics.GetProperty("totals").GetProperty("reported").GetInt32());
        Assert.Equal(10, statistics.GetProperty("totals").GetProperty("values")[0][0].GetInt64());
        Assert.Equal(0, statistics.GetProperty("totalsAtDeadline").GetProperty("reported").GetInt32());
        Assert.True(Unit(statistics, "dang-bo-a").GetProperty("late").GetBoolean());
        Assert.Equal(10, SpreadsheetReader.ReadXlsx(await now.Content.ReadAsByteArrayAsync(Ct))[0][5, 3]!.Value.Number);
        Assert.Equal(0, SpreadsheetReader.ReadXlsx(await atDeadline.Content.ReadAsByteArrayAsync(Ct))[0][5, 3]!.Value.Number);
        Assert.Contains("tai-han", atDeadline.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_whole_branches_a_unit_under_another_assigned_unit_is_warned_at_registration_shown_and_not_added_again()
    {
        var (directive, id) = await RegisterAsync("643", "2099-12-31", ["dang-bo-a", "chi-bo-a1"]);
        var parent = await UploadAsync(directive, "dang-bo-a", OfficeClient.TokenFor(directive, "dang-bo-a"), new XlsxFixture().Sheet("S", XlsxFixture.Template(XlsxFixture.Figures(10))).Build());
        var child = await UploadAsync(directive, "chi-bo-a1", OfficeClient.TokenFor(directive, "chi-bo-a1"), new XlsxFixture().Sheet("S", XlsxFixture.Template(XlsxFixture.Figures(3))).Build());
        await ImportAsync(parent);
        await ImportAsync(child);

        var statistics = await StatisticsAsync(id);

        var warning = Assert.Single(directive.GetProperty("warnings").EnumerateArray());
        Assert.Equal("t1", warning.GetProperty("taskId").GetString());
        Assert.Contains("“Chi bộ Phòng Tổng hợp” thuộc “Đảng bộ Sở Tài chính”", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, statistics.GetProperty("totals").GetProperty("reported").GetInt32());
        Assert.Equal(10, statistics.GetProperty("totals").GetProperty("values")[0][0].GetInt64());
        Assert.Equal("accepted", Unit(statistics, "chi-bo-a1").GetProperty("state").GetString());
        Assert.Equal("dang-bo-a", Unit(statistics, "chi-bo-a1").GetProperty("coveredBy").GetString());
    }

    [Fact]
    public async Task The_office_uploads_a_file_a_unit_emailed_recorded_as_sent_by_the_office_and_a_file_naming_another_unit_is_flagged()
    {
        var (directive, id) = await RegisterAsync("643", "2099-12-31", ["dang-bo-a", "chi-bo-b"]);
        using var forUnit = await _office.SendFileAsync($"api/directives/{id}/statistics/units/chi-bo-b", new XlsxFixture().Sheet("S", XlsxFixture.Template(XlsxFixture.Figures(4))).Build());
        using var notAssigned = await _office.SendFileAsync($"api/directives/{id}/statistics/units/chi-bo-a1", new XlsxFixture().Sheet("S", XlsxFixture.Template(XlsxFixture.Figures(4))).Build());
        using var zip = await _office.SendFileAsync($"api/directives/{id}/statistics/units/chi-bo-b", NotASpreadsheetZip());
        Assert.Equal(HttpStatusCode.Accepted, forUnit.StatusCode);
        await ImportAsync($"{id}/chi-bo-b/{(await forUnit.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("uploadId").GetString()}.xlsx");

        var statistics = await StatisticsAsync(id);
        var latest = Unit(statistics, "chi-bo-b").GetProperty("latestUpload");
        var board = await _office.SendAsync(HttpMethod.Get, $"api/directives/{id}");
        var history = (await board.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("tasks")[0].GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == "chi-bo-b");

        Assert.Equal("office", latest.GetProperty("sentBy").GetString());
        Assert.Equal("Đảng bộ Sở Tài chính", latest.GetProperty("writtenUnit").GetString()); // the fixture's "Đơn vị:" line: not Chi bộ Văn phòng
        Assert.Equal("submitted-on-time", history.GetProperty("state").GetString());
        Assert.StartsWith("Văn phòng gửi thay đơn vị", history.GetProperty("latest").GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notAssigned.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, zip.StatusCode);
        Assert.Contains("tệp nén (.zip)", await zip.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_naming_an_unknown_template_or_rules_the_template_cannot_have_is_refused_field_by_field()
    {
        using var response = await _office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "12-CV/ĐU",
            issuedOn = "2026-02-05",
            issuer = "Đảng ủy",
            subject = "Thống kê",
            tasks = new object[]
            {
                new { title = "Báo cáo A", kind = "statistics", deadline = "2099-12-31", units = new[] { "dang-bo-a" }, template = "m000000000000000000000000" },
                new { title = "Báo cáo B", kind = "statistics", deadline = "2099-12-31", units = new[] { "dang-bo-a" }, rules = new { bounds = new[] { new { row = 2, max = 9 } }, totals = true, blanks = "sometimes" } },
            },
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("tasks[0].template", fields);
        Assert.Contains("tasks[1].rules.bounds", fields);
        Assert.Contains("tasks[1].rules.totals", fields);
        Assert.Contains("tasks[1].rules.blanks", fields);
    }

    private static byte[] NotASpreadsheetZip()
    {
        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("bao-cao.docx").Open());
            writer.Write("not a workbook");
        }

        return stream.ToArray();
    }

    /// <summary>Reads <paramref name="template"/> (or names 643) and registers a directive with one statistics task on it.</summary>
    private async Task<(JsonElement Directive, string Id)> RegisterAsync(string template, string deadline, string[] units)
    {
        var templateId = template;
        if (template != "643")
        {
            using var read = await _office.SendFileAsync("api/templates", TemplateFixtures.File(template));
            templateId = (await read.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        }

        using var response = await _office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "12-CV/ĐU",
            issuedOn = "2020-01-05",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Báo cáo thống kê theo mẫu",
            tasks = new object[] { new { title = "Báo cáo theo mẫu", kind = "statistics", deadline, units, template = templateId } },
        });
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var directive = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(templateId, directive.GetProperty("tasks")[0].GetProperty("template").GetString());
        return (directive, directive.GetProperty("id").GetString()!);
    }

    private async Task<string> UploadAsync(JsonElement directive, string unit, string token, byte[] file)
    {
        using var response = await _office.SendFileAsync($"u/{token}/tasks/t1/statistics", file, key: null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return $"{directive.GetProperty("id").GetString()}/{unit}/{(await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("uploadId").GetString()}.xlsx";
    }

    /// <summary>Invokes ImportStatistics as the Functions host does, with the blob's content from storage.</summary>
    private Task ImportAsync(string blobName) => StatisticsImports.ImportAsync(_office.Http, StatisticsImports.Uploads(storage.ConnectionString, _app.Prefix), blobName);

    private async Task<JsonElement> StatisticsAsync(string id)
    {
        using var response = await _office.SendAsync(HttpMethod.Get, $"api/directives/{id}/statistics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static JsonElement Unit(JsonElement statistics, string unitId) =>
        statistics.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == unitId);
}
