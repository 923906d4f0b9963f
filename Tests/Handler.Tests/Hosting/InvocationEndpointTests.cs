using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Hosting.Telemetry;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

/// <summary>The timer and blob endpoints answer the host as the contract says, over real HTTP.</summary>
public sealed class InvocationEndpointTests(StorageFixture storage)
{
    [Fact]
    public async Task A_timer_invocation_of_CheckDeadlines_answers_200_with_the_hosts_response_shape()
    {
        await using var app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        using var client = app.Start();
        var payload = InvocationPayloads.ForTimer("CheckDeadlines", "timer", null, DateTimeOffset.UnixEpoch.AddMinutes(5), isPastDue: true, DateTimeOffset.UnixEpoch);

        using var response = await client.PostAsJsonAsync("CheckDeadlines", payload, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"Outputs":{},"Logs":[],"ReturnValue":null}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_blob_invocation_of_ImportStatistics_in_the_hosts_form_answers_200_and_counts_a_success()
    {
        using var listener = new MetricCollector("workflow.invocations");
        await using var app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        using var client = app.Start();
        var body = $$"""
            {"Data": {"blob": "{{Convert.ToBase64String("xlsx"u8)}}"},
             "Metadata": {"name": "\"d1/u7/a.xlsx\"", "Uri": {"AbsoluteUri": "http://127.0.0.1/uploads/d1/u7/a.xlsx"}, "Properties": "{\"ETag\":\"\\\"0x1\\\"\"}"} }
            """;

        using var response = await client.PostAsync(new Uri("ImportStatistics", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(("ImportStatistics", "succeeded"), listener.Measurements);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Data": {}, "Metadata": {"name": "\"a.xlsx\""}}""")]
    [InlineData("""{"Data": {"blob": "%%%"}, "Metadata": {"name": "\"a.xlsx\""}}""")]
    public async Task A_body_the_handler_cannot_read_fails_the_invocation_with_400_and_a_log_line_for_the_host(string body)
    {
        await using var app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix());
        using var client = app.Start();

        using var response = await client.PostAsync(new Uri("ImportStatistics", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Single(json.RootElement.GetProperty("Logs").EnumerateArray());
        Assert.Equal(JsonValueKind.Object, json.RootElement.GetProperty("Outputs").ValueKind);
    }

    private sealed class MetricCollector : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string, string)> _measurements = [];

        public MetricCollector(string instrument)
        {
            _listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == AppTelemetry.Name && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                var all = tags.ToArray();
                var function = all.FirstOrDefault(t => t.Key == "function").Value as string ?? "";
                var outcome = all.FirstOrDefault(t => t.Key == "outcome").Value as string ?? "";
                lock (_measurements)
                {
                    _measurements.Add((function, outcome));
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<(string Function, string Outcome)> Measurements
        {
            get
            {
                lock (_measurements)
                {
                    return [.. _measurements];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
