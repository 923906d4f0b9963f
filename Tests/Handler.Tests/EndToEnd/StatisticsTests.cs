using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using ServerlessWorkflow.Tests.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.EndToEnd;

/// <summary>Upload through the unit's link → blob → ImportStatistics → totals, against the running handler and Azurite.</summary>
public sealed class StatisticsTests(StorageFixture storage) : IAsyncLifetime
{
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;
    private JsonElement _directive;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => StartAsync(localTriggers: false);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_accepted_upload_is_consolidated_and_a_re_upload_replaces_the_units_figures()
    {
        var token = OfficeClient.TokenFor(_directive, "dang-bo-a");

        var first = await UploadAsync(token, Figures(10));
        await ImportAsync(first);
        var second = await UploadAsync(token, Figures(20));
        await ImportAsync(second);
        await ImportAsync(first); // an older upload processed again changes nothing
        var other = await UploadAsync(OfficeClient.TokenFor(_directive, "chi-bo-b"), Figures(5));
        await ImportAsync(other);
        var statistics = await StatisticsAsync();

        Assert.Equal(2, statistics.GetProperty("totals").GetProperty("reported").GetInt32());
        Assert.Equal(25, statistics.GetProperty("totals").GetProperty("values")[0][0].GetInt32());
        var unit = Unit(statistics, "dang-bo-a");
        Assert.Equal("accepted", unit.GetProperty("state").GetString());
        Assert.Equal(20, unit.GetProperty("values")[0][0].GetInt32());
        Assert.Equal("submitted-on-time", await StateOfAsync("dang-bo-a"));
    }

    [Fact]
    public async Task A_rejected_upload_changes_no_totals_and_the_unit_sees_why_on_its_page()
    {
        var token = OfficeClient.TokenFor(_directive, "chi-bo-b");
        var figures = Figures(10);
        figures[0, 1] = -2;

        var upload = await UploadAsync(token, figures);
        await ImportAsync(upload);
        var statistics = await StatisticsAsync();
        var page = await _office.Http.GetStringAsync(new Uri($"u/{token}", UriKind.Relative), Ct);

        Assert.Equal(0, statistics.GetProperty("totals").GetProperty("reported").GetInt32());
        var unit = Unit(statistics, "chi-bo-b");
        Assert.Equal("rejected", unit.GetProperty("state").GetString());
        Assert.Equal("D7", unit.GetProperty("errors")[0].GetProperty("cell").GetString());
        Assert.Contains("Ô D7: số âm (-2); phải là số nguyên không âm.", page, StringComparison.Ordinal);
        Assert.Contains("bị từ chối", page, StringComparison.Ordinal);
        Assert.Equal("missing", Unit(statistics, "dang-bo-a").GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_file_that_is_not_xlsx_is_refused_at_upload_by_its_bytes_whatever_its_name_and_nothing_is_stored()
    {
        var token = OfficeClient.TokenFor(_directive, "chi-bo-b");

        using var xls = await PostFileAsync(token, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2, 3], "bao-cao.xlsx");
        using var pdf = await PostFileAsync(token, "%PDF-1.7"u8.ToArray(), "bao-cao.xlsx");
        using var big = await PostFileAsync(token, new byte[6 * 1024 * 1024], "big.xlsx");
        var blobs = new List<string>();
        await foreach (var b in new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(_app.Prefix + "uploads").GetBlobsAsync(cancellationToken: Ct))
        {
            blobs.Add(b.Name);
        }

        Assert.Equal(HttpStatusCode.BadRequest, xls.StatusCode);
        Assert.Contains("(.xls)", await xls.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, pdf.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Empty(blobs);
    }

    [Fact]
    public async Task The_upload_is_kept_under_a_server_made_name_and_a_confirmation_task_has_no_upload_route()
    {
        var token = OfficeClient.TokenFor(_directive, "dang-bo-a");

        var upload = await UploadAsync(token, Figures(3));
        using var wrongTask = await PostFileAsync(token, new XlsxFixture().Sheet("S", XlsxFixture.Template(Figures(3))).Build(), "a.xlsx", task: "t1");

        Assert.Matches($"^{_directive.GetProperty("id").GetString()}/dang-bo-a/[0-9]{{17}}-[0-9a-f]{{8}}\\.xlsx$", upload);
        Assert.Equal(HttpStatusCode.NotFound, wrongTask.StatusCode);
    }

    [Fact]
    public async Task The_xlsx_export_reads_back_as_the_template_with_the_totals_has_no_formula_and_keeps_hostile_names_as_text()
    {
        await _office.PutUnitAsync("chi-bo-b", "=HYPERLINK(\"http://evil.invalid\",\"Chi bộ\")", 2, "dang-uy");
        var upload = await UploadAsync(OfficeClient.TokenFor(_directive, "dang-bo-a"), Figures(9));
        await ImportAsync(upload);

        using var response = await _office.SendAsync(HttpMethod.Get, $"api/directives/{_directive.GetProperty("id").GetString()}/statistics.xlsx");
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var readBack = ServerlessWorkflow.Domain.Statistics.StatisticsParser.Parse(bytes);
        var sheets = ServerlessWorkflow.Domain.Statistics.SpreadsheetReader.ReadXlsx(bytes);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        var xml = string.Concat(zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).Select(e => new StreamReader(e.Open()).ReadToEnd()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.True(readBack.Accepted, string.Join("; ", readBack.Errors.Select(e => e.Message)));
        Assert.Equal(9, readBack.Report![0, 0]);
        Assert.Equal(["Tổng hợp", "Theo đơn vị", "Chưa báo cáo"], sheets.Select(s => s.Name));
        Assert.DoesNotContain("<f>", xml, StringComparison.Ordinal);
        Assert.Contains(sheets[2].Cells.Values, c => c.Text == "=HYPERLINK(\"http://evil.invalid\",\"Chi bộ\")");
        Assert.Contains(sheets[1].Cells.Values, c => c.Text == "Đảng bộ Sở Tài chính");
    }

    [Fact]
    public async Task With_local_triggers_an_upload_reaches_the_totals_without_anyone_calling_ImportStatistics()
    {
        await _app.DisposeAsync();
        await StartAsync(localTriggers: true);
        var token = OfficeClient.TokenFor(_directive, "dang-bo-a");

        await UploadAsync(token, Figures(7));

        Assert.True(await Eventually.TrueAsync(() => StatisticsAsync().GetAwaiter().GetResult().GetProperty("totals").GetProperty("reported").GetInt32() == 1));
    }

    private async ValueTask StartAsync(bool localTriggers)
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["LocalTriggers:Enabled"] = localTriggers ? "true" : "false",
            ["LocalTriggers:BlobPollInterval"] = "00:00:00.100",
            ["LocalTriggers:Functions"] = "ImportStatistics",
            ["AzureWebJobsScriptRoot"] = Repository.Root,
        });
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
                new { title = "Gửi danh sách cán bộ quản trị", kind = "confirmation", deadline = "2099-12-30", units = new[] { "dang-bo-a", "chi-bo-b" } },
                new { title = "Báo cáo thống kê theo mẫu", kind = "statistics", deadline = "2099-12-31", units = new[] { "dang-bo-a", "chi-bo-b" } },
            },
        });
        _directive = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    private static object?[,] Figures(int total) => XlsxFixture.Figures(total);

    private async Task<string> UploadAsync(string token, object?[,] figures)
    {
        using var response = await PostFileAsync(token, new XlsxFixture().Sheet("Báo cáo", XlsxFixture.Template(figures)).Build(), "bao-cao.xlsx");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var uploadId = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("uploadId").GetString();
        var unit = OfficeClient.TokenFor(_directive, "dang-bo-a") == token ? "dang-bo-a" : "chi-bo-b";
        return $"{_directive.GetProperty("id").GetString()}/{unit}/{uploadId}.xlsx";
    }

    private async Task<HttpResponseMessage> PostFileAsync(string token, byte[] file, string name, string task = "t2")
    {
        using var content = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name } };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{token}/tasks/{task}/statistics", UriKind.Relative)) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        return await _office.Http.SendAsync(request, Ct);
    }

    /// <summary>Invokes ImportStatistics as the Functions host does, with the blob's content from storage.</summary>
    private Task ImportAsync(string blobName) => StatisticsImports.ImportAsync(_office.Http, StatisticsImports.Uploads(storage.ConnectionString, _app.Prefix), blobName);

    private async Task<JsonElement> StatisticsAsync()
    {
        using var response = await _office.SendAsync(HttpMethod.Get, $"api/directives/{_directive.GetProperty("id").GetString()}/statistics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<string?> StateOfAsync(string unitId)
    {
        using var response = await _office.SendAsync(HttpMethod.Get, $"api/directives/{_directive.GetProperty("id").GetString()}");
        var directive = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return directive.GetProperty("tasks")[1].GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == unitId).GetProperty("state").GetString();
    }

    private static JsonElement Unit(JsonElement statistics, string unitId) =>
        statistics.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == unitId);
}
