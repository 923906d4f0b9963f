using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Tests.Email;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Storage;

/// <summary>
/// A stored row with a field missing or unreadable is an error — logged with the row's keys and
/// the field, answered as a failure — never read as a made-up date or a default state that would
/// send an email again.
/// </summary>
public sealed class CorruptRowTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private HandlerApp _app = null!;
    private OfficeClient _office = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = new HandlerApp(storage.ConnectionString, StorageFixture.NewPrefix(), services: s => s.AddSingleton<ILoggerProvider>(_logs));
        _office = new OfficeClient(_app.Start());
        await _office.SeedUnitsAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private TableClient Table(string name) => new TableServiceClient(storage.ConnectionString).GetTableClient(_app.Prefix + name);

    [Fact]
    public async Task A_unit_row_without_its_email_fails_the_list_and_the_log_names_the_row_and_field()
    {
        var row = (await Table("units").GetEntityAsync<TableEntity>("unit", "chi-bo-b", cancellationToken: Ct)).Value;
        row.Remove("Email");
        await Table("units").UpsertEntityAsync(row, TableUpdateMode.Replace, Ct);

        using var response = await _office.SendAsync(HttpMethod.Get, "api/units");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("@example.invalid", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("'unit' / 'chi-bo-b': field Email is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_outbox_entry_in_a_state_nobody_knows_fails_the_run_and_is_never_sent_as_pending()
    {
        var directive = (await _office.RegisterAsync()).GetProperty("id").GetString()!;
        await Table("escalations").AddEntityAsync(
            new TableEntity(directive, "outbox|e1")
            {
                ["Step"] = "step-1", ["TaskId"] = "t1", ["UnitId"] = "chi-bo-b", ["To"] = "[\"chi-bo-b@example.invalid\"]", ["Cc"] = "[]",
                ["Subject"] = "s", ["Text"] = "t", ["Html"] = "h", ["State"] = "Retrying", ["Attempts"] = 0, ["CreatedAt"] = DateTimeOffset.UtcNow,
            },
            Ct);
        await Table("duequeue").AddEntityAsync(new TableEntity("unsent", $"{directive}|e1"), Ct);

        using var run = await _office.Http.PostAsJsonAsync("CheckDeadlines", InvocationPayloads.ForTimer("CheckDeadlines", "timer", null, DateTimeOffset.UtcNow.AddMinutes(5), false, DateTimeOffset.UtcNow), Ct);
        using var outbox = await _office.SendAsync(HttpMethod.Get, $"api/outbox?scope={directive}");

        Assert.Equal(HttpStatusCode.InternalServerError, run.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, outbox.StatusCode);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("field State holds 'Retrying', which is not a OutboxState", StringComparison.Ordinal));
    }
}
