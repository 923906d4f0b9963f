using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ServerlessWorkflow.Functions.Hosting.LocalTriggers;
using ServerlessWorkflow.Functions.Storage;
using ServerlessWorkflow.Tests.Infrastructure;

namespace ServerlessWorkflow.Tests.Hosting;

/// <summary>
/// The development stand-in for the host's triggers, against a real Azurite: blob versions fire
/// once (across restarts too), changed content fires again, failures are retried up to five
/// times, timers fire on their schedule.
/// </summary>
public sealed class LocalTriggerTests(StorageFixture storage) : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Long enough for many polls: anything that would fire twice has fired by then.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(1500);

    private readonly ProbeFunctions _probe = new();
    private readonly string _prefix = StorageFixture.NewPrefix();

    public void Dispose() => _probe.Dispose();

    [Fact]
    public async Task A_blob_uploaded_fires_its_function_once_with_the_hosts_payload()
    {
        await using var app = StartHandler();
        var blob = await UploadAsync("d1/u7/a.xlsx", "first version");

        Assert.True(await Eventually.TrueAsync(() => _probe.BlobCount("d1/u7/a.xlsx") == 1));
        await Task.Delay(Quiet, TestContext.Current.CancellationToken);

        var fired = Assert.Single(_probe.Blobs);
        Assert.Equal("d1/u7/a.xlsx", fired.Name);
        Assert.Equal($"{_prefix}{ProbeFunctions.Container}/d1/u7/a.xlsx", fired.BlobPath);
        Assert.Equal("first version"u8.ToArray(), fired.Content.ToArray());
        Assert.Equal(blob.ETag.ToString("H"), fired.Properties.ETag);
        Assert.Equal(blob.Uri, fired.Uri);
    }

    [Fact]
    public async Task The_same_blob_re_uploaded_with_new_content_fires_again()
    {
        await using var app = StartHandler();
        await UploadAsync("u1/report.xlsx", "version 1");
        Assert.True(await Eventually.TrueAsync(() => _probe.BlobCount("u1/report.xlsx") == 1));

        await UploadAsync("u1/report.xlsx", "version 2");
        Assert.True(await Eventually.TrueAsync(() => _probe.BlobCount("u1/report.xlsx") == 2));
        await Task.Delay(Quiet, TestContext.Current.CancellationToken);

        Assert.Equal(["version 1", "version 2"], _probe.Blobs.Select(b => System.Text.Encoding.UTF8.GetString(b.Content.Span)));
    }

    [Fact]
    public async Task Restarting_the_handler_fires_nothing_twice_and_fires_what_arrived_while_it_was_down()
    {
        await using (var first = StartHandler())
        {
            await UploadAsync("a.xlsx", "a");
            await UploadAsync("b.xlsx", "b");
            Assert.True(await Eventually.TrueAsync(() => _probe.Blobs.Count == 2));
        }

        await UploadAsync("c.xlsx", "uploaded while the handler was stopped");

        await using (var second = StartHandler())
        {
            Assert.True(await Eventually.TrueAsync(() => _probe.BlobCount("c.xlsx") == 1));
            await Task.Delay(Quiet, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, _probe.BlobCount("a.xlsx"));
        Assert.Equal(1, _probe.BlobCount("b.xlsx"));
        Assert.Equal(1, _probe.BlobCount("c.xlsx"));
    }

    [Fact]
    public async Task A_blob_whose_function_keeps_failing_is_tried_five_times_then_given_up()
    {
        _probe.Fails = name => name == "poison.xlsx";
        await using var app = StartHandler();
        await UploadAsync("poison.xlsx", "always fails");
        await UploadAsync("fine.xlsx", "works");

        Assert.True(await Eventually.TrueAsync(() => _probe.BlobCount("poison.xlsx") == 5));
        await Task.Delay(Quiet, TestContext.Current.CancellationToken);

        Assert.Equal(5, _probe.BlobCount("poison.xlsx"));
        Assert.Equal(1, _probe.BlobCount("fine.xlsx"));
    }

    [Fact]
    public async Task A_timer_fires_on_the_schedule_in_its_function_json_with_the_hosts_payload()
    {
        await using var app = StartHandler();

        Assert.True(await Eventually.TrueAsync(() => _probe.Timers.Count >= 2, TimeSpan.FromSeconds(10)));

        var second = _probe.Timers[1];
        Assert.False(second.IsPastDue);
        Assert.NotNull(second.Last);
        Assert.NotNull(second.Next);
        Assert.True(second.Next > second.Last);
    }

    [Fact]
    public async Task Without_local_triggers_enabled_nothing_fires()
    {
        await using var app = StartHandler(enabled: false);
        await UploadAsync("quiet.xlsx", "nobody listens");

        await Task.Delay(Quiet, TestContext.Current.CancellationToken);

        Assert.Empty(_probe.Blobs);
        Assert.Empty(_probe.Timers);
    }

    [Fact]
    public async Task An_upload_to_the_real_ImportStatistics_path_is_handed_to_ImportStatistics_and_receipted()
    {
        await using var app = new HandlerApp(storage.ConnectionString, _prefix, new Dictionary<string, string?>
        {
            ["LocalTriggers:Enabled"] = "true",
            ["LocalTriggers:BlobPollInterval"] = Poll.ToString(),
            ["LocalTriggers:Functions"] = "ImportStatistics",
            ["AzureWebJobsScriptRoot"] = Repository.Root,
        });
        app.Start().Dispose();
        var container = new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(_prefix + "uploads");
        await container.CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        await container.UploadBlobAsync("d1/u7/x.xlsx", BinaryData.FromString("spreadsheet"), TestContext.Current.CancellationToken);
        var receipts = new TableClient(storage.ConnectionString, _prefix + TriggerReceipts.TableName);
        var rowKey = TriggerReceipts.BlobRowKey("d1/u7/x.xlsx");

        Assert.True(await Eventually.TrueAsync(() =>
        {
            var receipt = receipts.GetEntityIfExists<TableEntity>("blob-ImportStatistics", rowKey);
            return receipt.HasValue && receipt.Value!.GetString("State") == nameof(ReceiptState.Done);
        }));
    }

    private HandlerApp StartHandler(bool enabled = true)
    {
        var app = new HandlerApp(
            storage.ConnectionString,
            _prefix,
            new Dictionary<string, string?>
            {
                ["LocalTriggers:Enabled"] = enabled ? "true" : "false",
                ["LocalTriggers:BlobPollInterval"] = Poll.ToString(),
                ["AzureWebJobsScriptRoot"] = _probe.ScriptRoot,
            },
            services => services.AddSingleton<IStartupFilter>(_probe).AddContainer(ProbeFunctions.Container));
        app.Start().Dispose();
        return app;
    }

    private async Task<(Azure.ETag ETag, Uri Uri)> UploadAsync(string name, string content)
    {
        var container = new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(_prefix + ProbeFunctions.Container);
        await container.CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var blob = container.GetBlobClient(name);
        var response = await blob.UploadAsync(BinaryData.FromString(content), overwrite: true, TestContext.Current.CancellationToken);
        return (response.Value.ETag, blob.Uri);
    }
}
