using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Faults;

/// <summary>
/// Storage (a persistent Azurite, so what it acknowledged survives its restart) stops while the
/// handler works, then comes back. A unit's submission is one table row, added after its
/// attachments are stored: whatever the moment of the outage, the version list afterwards shows
/// each submission whole (its note, its attachments, each attachment's blob) or not at all, and
/// every one answered 201 is there. A CheckDeadlines run during the outage fails the invocation
/// (non-2xx, so the host counts it failed) and the next run after the restart sends what fell due
/// meanwhile, once — one step at a time (<c>HangingStorageTests</c> does the same with storage that hangs). (Hosting/HealthTests.cs covers health and a read during an outage.)
/// </summary>
public sealed class StorageOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submissions_cut_by_an_outage_are_stored_whole_or_not_at_all_and_the_outage_answers_503_with_Retry_After()
    {
        await using var azurite = await AzuriteProcess.StartAsync(persistent: true);
        await using var app = new HandlerApp(azurite.ConnectionString, StorageFixture.NewPrefix());
        var office = new OfficeClient(app.Start());
        await office.SeedUnitsAsync();
        var directive = await office.RegisterAsync("2099-12-31", "dang-bo-a", "chi-bo-b");
        var directiveId = directive.GetProperty("id").GetString()!;
        var tokens = new[] { "dang-bo-a", "chi-bo-b", "dang-bo-a" }.Select(u => OfficeClient.TokenFor(directive, u)).ToArray();

        // Submitters post whole submissions (two attachments each) in a loop while storage goes away under them.
        var outcomes = new ConcurrentQueue<(string Note, HttpStatusCode Status, bool RetryAfter)>();
        using var stop = new CancellationTokenSource();
        var submitters = tokens.Select((token, i) => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var note = $"Ghi chú {i}-{n}";
                using var response = await SubmitAsync(office.Http, token, note);
                outcomes.Enqueue((note, response.StatusCode, response.Headers.RetryAfter is not null));
            }
        })).ToArray();
        Assert.True(await Eventually.TrueAsync(() => outcomes.Count(o => o.Status == HttpStatusCode.Created) >= 6, TimeSpan.FromSeconds(60)));
        await azurite.StopAsync();
        Assert.True(await Eventually.TrueAsync(() => outcomes.Count(o => o.Status != HttpStatusCode.Created) >= 6, TimeSpan.FromSeconds(60)));
        await stop.CancelAsync();
        await Task.WhenAll(submitters);

        using (var down = await SubmitAsync(office.Http, tokens[0], "Gửi khi lưu trữ ngừng"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(down.Headers.RetryAfter);
        }

        await azurite.StartAgainAsync();
        Assert.True(await Eventually.TrueAsync(() => UnitPageStatus(office.Http, tokens[0]) == HttpStatusCode.OK, TimeSpan.FromSeconds(30)));

        Assert.All(outcomes, o => Assert.True(o.Status is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"{o.Note}: {(int)o.Status}"));
        Assert.All(outcomes.Where(o => o.Status == HttpStatusCode.ServiceUnavailable), o => Assert.True(o.RetryAfter, $"{o.Note}: 503 without Retry-After"));
        var versions = await VersionsAsync(azurite.ConnectionString, app.Prefix, directiveId);
        var attachments = await BlobsAsync(azurite.ConnectionString, app.Prefix + "attachments");
        foreach (var version in versions)
        {
            Assert.Equal("done", version.Status);
            Assert.Equal(2, version.Attachments.Count);
            Assert.All(version.Attachments, a => Assert.Contains(a, attachments));
        }

        Assert.Equal(versions.Count, versions.Select(v => v.Note).Distinct().Count());
        Assert.All(outcomes.Where(o => o.Status == HttpStatusCode.Created), o => Assert.Contains(versions, v => v.Note == o.Note));
        Assert.DoesNotContain(versions, v => v.Note == "Gửi khi lưu trữ ngừng");
        foreach (var token in tokens.Distinct())
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"u/{token}", UriKind.Relative));
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await office.Http.SendAsync(request, Ct);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.All(page.GetProperty("tasks")[0].GetProperty("history").EnumerateArray(), h => Assert.Equal(2, h.GetProperty("attachments").GetInt32()));
        }
    }

    [Fact]
    public async Task CheckDeadlines_fails_the_invocation_while_storage_is_down_and_the_next_run_sends_what_fell_due_once()
    {
        await using var azurite = await AzuriteProcess.StartAsync(persistent: true);
        await using var sendGrid = await SendGridStub.StartAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 2, 20, 9, 0, 0, TimeSpan.FromHours(7)));
        await using var app = new HandlerApp(
            azurite.ConnectionString,
            StorageFixture.NewPrefix(),
            new Dictionary<string, string?>
            {
                ["SendGrid:ApiKey"] = sendGrid.ApiKey,
                ["SendGrid:Host"] = sendGrid.BaseAddress.ToString(),
                ["Email:From"] = "no-reply@example.invalid",
                ["Email:Office"] = "vanphong@example.invalid",
                ["Escalation:TellUnits"] = "false", // the ladder's emails only (the units' notices: UnitNoticesTests)
            },
            services => services.AddSingleton<TimeProvider>(clock));
        var office = new OfficeClient(app.Start());
        await office.SeedUnitsAsync();
        await office.RegisterAsync("Trước ngày 26/02/2026", "chi-bo-b");

        // Step 1 (and step 2 by its schedule) and the digest fall due during the outage.
        clock.SetUtcNow(new DateTimeOffset(2026, 2, 27, 8, 0, 0, TimeSpan.FromHours(7)));
        await azurite.StopAsync();
        using (var failed = await RunAsync(office.Http, clock))
        {
            Assert.False(failed.IsSuccessStatusCode, $"CheckDeadlines answered {(int)failed.StatusCode} while storage was down");
        }

        clock.Advance(TimeSpan.FromHours(3));
        await azurite.StartAgainAsync();
        Assert.True(await Eventually.TrueAsync(() => HealthStatus(office.Http) == HttpStatusCode.OK, TimeSpan.FromSeconds(30)));
        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var caughtUp = await RunAsync(office.Http, clock);
            Assert.True(caughtUp.IsSuccessStatusCode, await caughtUp.Content.ReadAsStringAsync(Ct));
        }

        // The catch-up sends step 1 and the digest once; step 2 waits for the next working morning: the unit hears first.
        Assert.Single(sendGrid.Requests, r => r.To.Any(t => t.Email == "chi-bo-b@example.invalid"));
        Assert.DoesNotContain(sendGrid.Requests, r => r.To.Any(t => t.Email == "dang-uy@example.invalid"));
        Assert.Single(sendGrid.Requests, r => r.Subject!.StartsWith("Tổng hợp ngày 27/02/2026", StringComparison.Ordinal));
        // The next working morning (Saturday and Sunday send nothing): step 2 and that day's digest.
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 7, 0, 0, TimeSpan.FromHours(7)));
        using (var nextMorning = await RunAsync(office.Http, clock))
        {
            Assert.True(nextMorning.IsSuccessStatusCode);
        }

        var keys = sendGrid.Requests.Select(r => r.CustomArgs[SendGridEmailTransport.IdempotencyKeyArgument]).ToList();
        Assert.Equal(4, keys.Count);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Single(sendGrid.Requests, r => r.To.Any(t => t.Email == "dang-uy@example.invalid"));
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient http, string token, string note)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent("done"), "status" },
            { new StringContent(note), "note" },
            { new ByteArrayContent(new byte[256 * 1024]), "files", "bien-ban.pdf" },
            { new ByteArrayContent(new byte[256 * 1024]), "files", "danh-sach.pdf" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"u/{token}/tasks/t1", UriKind.Relative)) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return await http.SendAsync(request, Ct);
    }

    private static HttpStatusCode UnitPageStatus(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"u/{token}", UriKind.Relative));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = http.Send(request, Ct);
        return response.StatusCode;
    }

    private static HttpStatusCode HealthStatus(HttpClient http)
    {
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, new Uri("api/health", UriKind.Relative)), Ct);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> RunAsync(HttpClient http, TimeProvider clock)
    {
        var payload = InvocationPayloads.ForTimer("CheckDeadlines", "timer", null, clock.GetUtcNow().AddMinutes(5), false, clock.GetUtcNow());
        return http.PostAsJsonAsync("CheckDeadlines", payload, Ct);
    }

    private sealed record StoredVersion(string Note, string Status, IReadOnlyList<string> Attachments);

    /// <summary>The submission rows as storage holds them.</summary>
    private static async Task<List<StoredVersion>> VersionsAsync(string connectionString, string prefix, string directiveId)
    {
        var table = new TableServiceClient(connectionString).GetTableClient(prefix + "submissions");
        var versions = new List<StoredVersion>();
        var counted = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {directiveId}"), cancellationToken: Ct))
        {
            // Beside the versions ({unit}|{task}|{version}) the partition keeps each assignment's progress (~p|…),
            // written in the same transaction as each version, and the hints for the read models (~h).
            if (row.RowKey.StartsWith("~p|", StringComparison.Ordinal))
            {
                counted += row.GetInt32("Versions") ?? 0;
            }
            else if (!row.RowKey.StartsWith('~'))
            {
                versions.Add(new StoredVersion(row.GetString("Note") ?? string.Empty, row.GetString("Status") ?? string.Empty, JsonSerializer.Deserialize<List<string>>(row.GetString("Attachments") ?? "[]") ?? []));
            }
        }

        Assert.Equal(versions.Count, counted); // the progress rows count exactly the versions stored: none half-written
        return versions;
    }

    private static async Task<HashSet<string>> BlobsAsync(string connectionString, string container)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in new BlobServiceClient(connectionString).GetBlobContainerClient(container).GetBlobsAsync(cancellationToken: Ct))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
