using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

/// <summary>GET /api/health against a real Azurite that the test kills and starts again.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_answers_200_ok_while_storage_answers_and_503_problem_within_a_second_once_it_stops_then_200_again()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var app = new HandlerApp(azurite.ConnectionString, StorageFixture.NewPrefix());
        using var client = app.Start();
        var ct = TestContext.Current.CancellationToken;

        using (var healthy = await client.GetAsync(new Uri("api/health", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
            Assert.Equal("application/json", healthy.Content.Headers.ContentType?.MediaType);
            Assert.Equal("""{"status":"ok"}""", await healthy.Content.ReadAsStringAsync(ct));
        }

        await azurite.KillAsync();
        var clock = Stopwatch.StartNew();
        using (var down = await client.GetAsync(new Uri("api/health", UriKind.Relative), ct))
        {
            clock.Stop();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(down.Headers.RetryAfter);
            using var problem = JsonDocument.Parse(await down.Content.ReadAsStringAsync(ct));
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"503 took {clock.Elapsed.TotalMilliseconds} ms");
        }

        await azurite.StartAgainAsync();
        var status = await PollAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(10), ct);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Health_is_503_when_the_handler_starts_with_no_storage_at_all()
    {
        var nowhere = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:{FreePort.Next()}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{FreePort.Next()}/devstoreaccount1;";
        await using var app = new HandlerApp(nowhere, StorageFixture.NewPrefix());
        using var client = app.Start();

        using var response = await client.GetAsync(new Uri("api/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    private static async Task<HttpStatusCode> PollAsync(HttpClient client, HttpStatusCode wanted, TimeSpan timeout, CancellationToken ct)
    {
        var until = DateTime.UtcNow + timeout;
        HttpStatusCode last;
        do
        {
            using var response = await client.GetAsync(new Uri("api/health", UriKind.Relative), ct);
            last = response.StatusCode;
            if (last == wanted)
            {
                break;
            }

            await Task.Delay(100, ct);
        }
        while (DateTime.UtcNow < until);

        return last;
    }
}

/// <summary>Requests that need storage while it is down get 503 problem+json with Retry-After, and work again once it is back.</summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task An_office_request_while_storage_is_down_gets_503_with_Retry_After_and_succeeds_once_it_is_back()
    {
        await using var azurite = await AzuriteProcess.StartAsync(persistent: true);
        await using var app = new HandlerApp(azurite.ConnectionString, StorageFixture.NewPrefix());
        var office = new OfficeClient(app.Start());

        await azurite.StopAsync();
        using (var down = await office.SendAsync(HttpMethod.Get, "api/units"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(down.Headers.RetryAfter);
        }

        await azurite.StartAgainAsync();
        Assert.True(await Eventually.TrueAsync(
            () =>
            {
                using var up = office.SendAsync(HttpMethod.Put, "api/units/dang-uy", new { name = "Đảng ủy", level = 1, email = "vp@example.invalid" }).GetAwaiter().GetResult();
                return up.StatusCode == HttpStatusCode.Created;
            },
            TimeSpan.FromSeconds(20)));
    }
}
