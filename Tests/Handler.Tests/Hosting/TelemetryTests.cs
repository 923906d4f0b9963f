using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ServerlessWorkflow.Functions.Hosting.Telemetry;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

/// <summary>
/// Observability, proved end to end: with an Application Insights connection string the handler —
/// a real process, as in Azure — exports its requests and its storage calls (Azure SDK spans) to
/// the ingestion endpoint (here a local stand-in that records what arrives), never a unit's link;
/// and the application's own counters (here: a submission, by timeliness) are measured with their
/// tags. Runs alone: the counters are observed process-wide.
/// </summary>
[Collection(nameof(TelemetryTests))]
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _ingested = new();
    private readonly ConcurrentQueue<(string Instrument, string Tags)> _measurements = new();
    private readonly MeterListener _listener = new();
    private WebApplication _ingestion = null!;
    private string _endpoint = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        (_ingestion, var endpoint) = await LoopbackServer.StartAsync(
            app => app.MapPost("/v2.1/track", async (HttpRequest request) =>
            {
                Stream body = request.Body;
                if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
                {
                    body = new GZipStream(request.Body, CompressionMode.Decompress);
                }

                using var reader = new StreamReader(body);
                var text = await reader.ReadToEndAsync();
                _ingested.Enqueue(text);

                // Accept every item, as ingestion does; a partial answer makes the exporter keep and resend the rest later.
                var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
                return Results.Json(new { itemsReceived = items, itemsAccepted = items, errors = Array.Empty<object>() });
            }),
            Ct);
        _endpoint = endpoint.ToString().TrimEnd('/');

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AppTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
            _measurements.Enqueue((instrument.Name, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        _listener.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _ingestion.DisposeAsync();
    }

    [Fact]
    public async Task Requests_and_storage_calls_reach_Application_Insights_without_the_units_link()
    {
        await using var handler = await HandlerProcess.StartAsync(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = storage.ConnectionString,
            ["Storage__Prefix"] = StorageFixture.NewPrefix(),
            ["Office__ApiKey"] = HandlerApp.OfficeKey,
            ["Links__SigningKey"] = "test-signing-key-0123456789abcdef",
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={_endpoint}/",
        });
        using var http = handler.CreateClient();
        var office = new OfficeClient(http);
        await office.SeedUnitsAsync();
        var token = OfficeClient.TokenFor(await office.RegisterAsync(), "dang-bo-a");
        using var submitted = await http.PostAsJsonAsync($"u/{token}/tasks/t1", new { status = "done" }, Ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);

        // Requests (RequestData) and storage calls (RemoteDependencyData from the Azure SDK) arrive at ingestion.
        Assert.True(
            await Eventually.TrueAsync(() => _ingested.Any(b => b.Contains("\"RequestData\"", StringComparison.Ordinal) && b.Contains("/u/", StringComparison.Ordinal))
                && _ingested.Any(b => b.Contains("\"RemoteDependencyData\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(45)),
            $"No request or dependency telemetry reached the ingestion endpoint ({_ingested.Count} posts):\n{string.Join("\n", _ingested.Select(b => b[..Math.Min(b.Length, 600)]))}\n{handler.Output}");

        // A unit's link is its credential: it never leaves in telemetry.
        Assert.DoesNotContain(_ingested, b => b.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_submission_is_counted_by_timeliness()
    {
        await using var app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        var office = new OfficeClient(app.Start());
        await office.SeedUnitsAsync();
        var token = OfficeClient.TokenFor(await office.RegisterAsync(), "dang-bo-a");

        using var submitted = await office.Http.PostAsJsonAsync($"u/{token}/tasks/t1", new { status = "done" }, Ct);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Contains(_measurements, m => m.Instrument == "workflow.submissions" && m.Tags == "timeliness=on-time");
    }
}
