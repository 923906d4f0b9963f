using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessWorkflow.Functions.Hosting.Telemetry;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

/// <summary>
/// Observability, proved end to end: with an Application Insights connection string the handler
/// exports its requests and its storage calls (Azure SDK spans) to the ingestion endpoint — here a
/// local stand-in that records what arrives — and the application's own counters (here: a
/// submission, by timeliness) are measured with their tags. Runs alone: the counters are observed
/// process-wide.
/// </summary>
[Collection(nameof(TelemetryTests))]
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _ingested = new();
    private readonly ConcurrentQueue<(string Instrument, string Tags)> _measurements = new();
    private readonly MeterListener _listener = new();
    private WebApplication _ingestion = null!;
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _ingestion = builder.Build();
        _ingestion.MapPost("/v2.1/track", async (HttpRequest request) =>
        {
            Stream body = request.Body;
            if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                body = new GZipStream(request.Body, CompressionMode.Decompress);
            }

            using var reader = new StreamReader(body);
            _ingested.Enqueue(await reader.ReadToEndAsync());
            return Results.Json(new { itemsReceived = 1, itemsAccepted = 1, errors = Array.Empty<object>() });
        });
        await _ingestion.StartAsync(Ct);
        var endpoint = _ingestion.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

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

        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = $"InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint={endpoint}/",
        });
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _app.DisposeAsync();
        await _ingestion.DisposeAsync();
    }

    [Fact]
    public async Task Requests_and_storage_calls_reach_Application_Insights_without_the_units_link_and_a_submission_is_counted_by_timeliness()
    {
        var registered = await _office.RegisterAsync();
        var token = OfficeClient.TokenFor(registered, "dang-bo-a");
        using var submitted = await _office.Http.PostAsJsonAsync($"u/{token}/tasks/t1", new { status = "done" }, Ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);

        // Requests (RequestData) and storage calls (RemoteDependencyData from the Azure SDK) arrive at ingestion.
        Assert.True(
            await Eventually.TrueAsync(() => _ingested.Any(b => b.Contains("\"RequestData\"", StringComparison.Ordinal) && b.Contains("/u/", StringComparison.Ordinal))
                && _ingested.Any(b => b.Contains("\"RemoteDependencyData\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)),
            "No request or dependency telemetry reached the ingestion endpoint.");
        Assert.Contains(_measurements, m => m.Instrument == "workflow.submissions" && m.Tags == "timeliness=on-time");

        // A unit's link is its credential: it never leaves in telemetry.
        Assert.DoesNotContain(_ingested, b => b.Contains(token, StringComparison.Ordinal));
    }
}
