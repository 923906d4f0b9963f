using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Faults;

/// <summary>
/// ImportStatistics invoked concurrently, as the Functions host may do (a blob trigger is
/// at-least-once, and several instances scan the same container): the same upload twice at
/// once, and two units' uploads at once (each of those twice). The unit's figures and the totals
/// change in one transaction conditional on the ETags read, the submission an accepted file
/// counts as has an id derived from the upload, so the totals equal the sample's figures once per
/// unit, each unit has one submission row, and every upload ends accepted.
/// The file is the shared sample <c>Tests/Fixtures/samples/bao-cao-thong-ke-vi-du.xlsx</c>.
/// </summary>
public sealed class ConcurrentBlobTests(StorageFixture storage) : IAsyncLifetime
{
    private const string StatisticsTask = "t2";
    private static readonly string SamplePath = Repository.SharedSample("bao-cao-thong-ke-vi-du.xlsx");
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;
    private string _directiveId = string.Empty;
    private JsonElement _directive;
    private byte[] _sample = [];
    private int[,] _figures = new int[0, 0];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sample = await File.ReadAllBytesAsync(SamplePath, Ct);
        var parsed = StatisticsParser.Parse(_sample);
        Assert.True(parsed.Accepted, "the shared sample no longer parses: " + string.Join("; ", parsed.Errors.Select(e => e.Message)));
        _figures = parsed.Report!.Values;

        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
        (_directiveId, _directive) = await RegisterAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_same_upload_processed_twice_at_once_counts_once()
    {
        var payload = await PayloadAsync(await UploadAsync(_directiveId, _directive, "dang-bo-a"));

        await Task.WhenAll(Task.Run(() => InvokeAsync(payload), Ct), Task.Run(() => InvokeAsync(payload), Ct));
        await InvokeAsync(payload); // and once more, after both

        var statistics = await StatisticsAsync(_directiveId);
        AssertTotals(statistics, units: 1);
        AssertUnit(statistics, "dang-bo-a");
        Assert.Equal(1, await SubmissionRowsAsync(_directiveId, "dang-bo-a"));
    }

    /// <summary>
    /// Two units' uploads at once, each invoked twice — in five directives side by side, all
    /// twenty invocations released together, so that reads and writes of the same totals overlap
    /// (without the ETag conditions, one unit's figures would be lost from the totals).
    /// </summary>
    [Fact]
    public async Task Two_units_uploads_processed_in_parallel_each_twice_add_up_to_both_once()
    {
        var directives = new List<(string Id, JsonElement Json)> { (_directiveId, _directive) };
        for (var i = 0; i < 4; i++)
        {
            directives.Add(await RegisterAsync());
        }

        var payloads = new List<JsonObject>();
        foreach (var (id, json) in directives)
        {
            foreach (var unit in new[] { "dang-bo-a", "chi-bo-b" })
            {
                var payload = await PayloadAsync(await UploadAsync(id, json, unit));
                payloads.Add(payload);
                payloads.Add(payload);
            }
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocations = payloads.Select(p => Task.Run(async () =>
        {
            await start.Task;
            await InvokeAsync(p);
        }, Ct)).ToList();
        start.SetResult();
        await Task.WhenAll(invocations);

        foreach (var (id, _) in directives)
        {
            var statistics = await StatisticsAsync(id);
            AssertTotals(statistics, units: 2);
            AssertUnit(statistics, "dang-bo-a");
            AssertUnit(statistics, "chi-bo-b");
            Assert.Equal(1, await SubmissionRowsAsync(id, "dang-bo-a"));
            Assert.Equal(1, await SubmissionRowsAsync(id, "chi-bo-b"));
        }
    }

    private async Task<(string Id, JsonElement Json)> RegisterAsync()
    {
        using var response = await _office.SendAsync(HttpMethod.Post, "api/directives", new
        {
            number = "700-CV/ĐU",
            issuedOn = "2026-02-05",
            issuer = "Đảng ủy UBND tỉnh",
            subject = "Báo cáo thống kê",
            tasks = new object[]
            {
                new { title = "Xác nhận", kind = "confirmation", deadline = "2099-12-30", units = new[] { "dang-bo-a", "chi-bo-b" } },
                new { title = "Báo cáo thống kê theo mẫu", kind = "statistics", deadline = "2099-12-31", units = new[] { "dang-bo-a", "chi-bo-b" } },
            },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
        return (json.GetProperty("id").GetString()!, json);
    }

    private void AssertTotals(JsonElement statistics, int units)
    {
        var totals = statistics.GetProperty("totals");
        Assert.Equal(units, totals.GetProperty("reported").GetInt32());
        Assert.Equal(Scaled(_figures, units), Matrix(totals.GetProperty("values")));
    }

    private void AssertUnit(JsonElement statistics, string unitId)
    {
        var unit = statistics.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetString() == unitId);
        Assert.Equal("accepted", unit.GetProperty("state").GetString());
        Assert.Equal(Scaled(_figures, 1), Matrix(unit.GetProperty("values")));
    }

    private static List<List<int>> Scaled(int[,] values, int factor) =>
        Enumerable.Range(0, values.GetLength(0)).Select(r => Enumerable.Range(0, values.GetLength(1)).Select(c => values[r, c] * factor).ToList()).ToList();

    private static List<List<int>> Matrix(JsonElement rows) =>
        rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToList()).ToList();

    /// <summary>Uploads the sample through the unit's link, as the unit does; returns the blob name the server chose.</summary>
    private async Task<string> UploadAsync(string directiveId, JsonElement directive, string unitId)
    {
        var token = OfficeClient.TokenFor(directive, unitId);
        using var content = new MultipartFormDataContent { { new ByteArrayContent(_sample), "file", "bao-cao-thong-ke-vi-du.xlsx" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{token}/tasks/{StatisticsTask}/statistics", UriKind.Relative)) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await _office.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var uploadId = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("uploadId").GetString();
        return $"{directiveId}/{unitId}/{uploadId}.xlsx";
    }

    /// <summary>The ImportStatistics invocation the Functions host sends for the blob, with its content from storage.</summary>
    private Task<JsonObject> PayloadAsync(string blobName) => StatisticsImports.PayloadAsync(StatisticsImports.Uploads(storage.ConnectionString, _app.Prefix), blobName);

    private async Task InvokeAsync(JsonObject payload)
    {
        using var response = await _office.Http.PostAsJsonAsync("ImportStatistics", payload, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement> StatisticsAsync(string directiveId)
    {
        using var response = await _office.SendAsync(HttpMethod.Get, $"api/directives/{directiveId}/statistics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>Rows in the submissions table for the unit's statistics task, read from storage itself.</summary>
    private async Task<int> SubmissionRowsAsync(string directiveId, string unitId)
    {
        var table = new TableServiceClient(storage.ConnectionString).GetTableClient(_app.Prefix + "submissions");
        var rows = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {directiveId}"), cancellationToken: Ct))
        {
            if (row.GetString("UnitId") == unitId && row.GetString("TaskId") == StatisticsTask)
            {
                rows++;
            }
        }

        return rows;
    }
}
