using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Hosting.LocalTriggers;

/// <summary>
/// Plays the Functions host's part for this app's own timer and blob triggers in development
/// (<c>LocalTriggers__Enabled=true</c>): it reads the same function.json files, fires timers on
/// their schedules and blob functions for every new or changed blob under their path, and calls
/// the same endpoints with the host's payloads. Receipts in storage make a blob version fire
/// once, across restarts too; a version that fails <see cref="LocalTriggerOptions.MaxBlobAttempts"/>
/// times is given up, as the host gives up on poison blobs.
/// </summary>
internal sealed partial class LocalTriggerHost(
    IOptions<LocalTriggerOptions> options,
    FunctionCatalog catalog,
    BlobServiceClient blobs,
    StorageNames names,
    TriggerReceipts receipts,
    SelfInvoker invoker,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<LocalTriggerHost> logger) : BackgroundService
{
    private readonly LocalTriggerOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var selected = _options.Functions?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var functions = catalog.Functions
            .Where(f => selected is null || selected.Length == 0 || selected.Contains(f.Name, StringComparer.OrdinalIgnoreCase))
            .ToList();
        var loops = functions.Where(f => f.IsTimer).Select(f => RunTimerAsync(f, stoppingToken))
            .Concat(functions.Where(f => f.IsBlob).Select(f => WatchBlobsAsync(f, stoppingToken)))
            .ToList();
        LogStarted(logger, string.Join(", ", functions.Where(f => f.IsTimer || f.IsBlob).Select(f => f.Name)));
        await Task.WhenAll(loops);
    }

    private async Task RunTimerAsync(FunctionDefinition function, CancellationToken stoppingToken)
    {
        var trigger = function.Trigger;
        var schedule = TimerSchedule.Parse(trigger.Schedule ?? throw new InvalidOperationException($"{function.Name} has no schedule."));
        var status = await RetryStorageAsync(ct => receipts.GetTimerAsync(function.Name, ct), function.Name, stoppingToken);
        var last = status?.Last;
        var now = time.GetUtcNow();

        // A run that fell due while the handler was down fires at once, marked past due, as the host does.
        if (trigger.RunOnStartup || (status is not null && status.Next <= now))
        {
            last = await FireTimerAsync(function, last, schedule.NextAfter(now), isPastDue: status is not null && status.Next <= now, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.NextAfter(time.GetUtcNow());
            await SaveTimerStatusAsync(function.Name, last, next, stoppingToken);
            var delay = next - time.GetUtcNow();
            try
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            last = await FireTimerAsync(function, last, schedule.NextAfter(next), isPastDue: false, stoppingToken);
        }
    }

    private async Task<DateTimeOffset> FireTimerAsync(FunctionDefinition function, DateTimeOffset? last, DateTimeOffset next, bool isPastDue, CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var payload = InvocationPayloads.ForTimer(function.Name, function.Trigger.Name, last, next, isPastDue, now);
        try
        {
            var succeeded = await invoker.InvokeAsync(function.Name, payload, stoppingToken);
            LogTimerFired(logger, function.Name, succeeded);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogInvokeFailed(logger, ex, function.Name);
        }

        await SaveTimerStatusAsync(function.Name, now, next, stoppingToken);
        return now;
    }

    private async Task SaveTimerStatusAsync(string functionName, DateTimeOffset? last, DateTimeOffset next, CancellationToken stoppingToken)
    {
        try
        {
            await receipts.SaveTimerAsync(functionName, last, next, stoppingToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException && !stoppingToken.IsCancellationRequested)
        {
            LogStorageUnavailable(logger, functionName, ex.GetType().Name);
        }
    }

    private async Task WatchBlobsAsync(FunctionDefinition function, CancellationToken stoppingToken)
    {
        var trigger = function.Trigger;
        var pattern = BlobPathPattern.Parse(trigger.Path ?? throw new InvalidOperationException($"{function.Name} has no path."));
        var container = blobs.GetBlobContainerClient(names.Container(pattern.Container));
        Dictionary<string, BlobReceipt>? known = null;
        using var timer = new PeriodicTimer(_options.BlobPollInterval, time);
        do
        {
            try
            {
                known ??= await receipts.LoadBlobReceiptsAsync(function.Name, stoppingToken);
                await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, pattern.Prefix, stoppingToken))
                {
                    if (pattern.Match(blob.Name) is { } variable)
                    {
                        await ProcessBlobAsync(function, container, blob, variable, pattern.Variable, known, stoppingToken);
                    }
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // The container does not exist yet: nothing has been uploaded.
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException && !stoppingToken.IsCancellationRequested)
            {
                known = null;
                LogStorageUnavailable(logger, function.Name, ex.GetType().Name);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private async Task ProcessBlobAsync(
        FunctionDefinition function,
        BlobContainerClient container,
        BlobItem blob,
        string variableValue,
        string variableName,
        Dictionary<string, BlobReceipt> known,
        CancellationToken stoppingToken)
    {
        var etag = blob.Properties.ETag?.ToString("H") ?? string.Empty; // quoted, as in HTTP headers and the host's BlobProperties
        known.TryGetValue(blob.Name, out var receipt);
        if (receipt is not null && receipt.IsSettled(etag))
        {
            return;
        }

        var client = container.GetBlobClient(blob.Name);
        BinaryData content;
        try
        {
            var download = await client.DownloadContentAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = blob.Properties.ETag } }, stoppingToken);
            content = download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return; // changed or deleted since it was listed: the next poll sees its current version
        }

        var payload = InvocationPayloads.ForBlob(
            function.Name,
            function.Trigger.Name,
            $"{container.Name}/{blob.Name}",
            new Dictionary<string, string> { [variableName] = variableValue },
            client.Uri,
            new BlobTriggerProperties(etag, blob.Properties.ContentLength, blob.Properties.ContentType, blob.Properties.LastModified),
            content.ToMemory().Span,
            time.GetUtcNow());

        bool succeeded;
        try
        {
            succeeded = await invoker.InvokeAsync(function.Name, payload, stoppingToken);
        }
        catch (HttpRequestException ex)
        {
            LogInvokeFailed(logger, ex, function.Name);
            succeeded = false;
        }

        var attempts = (receipt?.BlobETag == etag ? receipt.Attempts : 0) + 1;
        var state = succeeded ? ReceiptState.Done
            : attempts >= _options.MaxBlobAttempts ? ReceiptState.Poisoned
            : ReceiptState.Failing;
        var saved = await receipts.SaveAsync(function.Name, receipt, blob.Name, etag, state, attempts, stoppingToken);
        if (saved is null)
        {
            known.Clear(); // another writer recorded it: reload on the next poll
            return;
        }

        known[blob.Name] = saved;
        LogBlobFired(logger, function.Name, state, attempts);
    }

    private async Task<T?> RetryStorageAsync<T>(Func<CancellationToken, Task<T?>> read, string functionName, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await read(stoppingToken);
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException && !stoppingToken.IsCancellationRequested)
            {
                LogStorageUnavailable(logger, functionName, ex.GetType().Name);
                await Task.Delay(_options.BlobPollInterval, time, stoppingToken);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Local triggers started for: {Functions}")]
    private static partial void LogStarted(ILogger logger, string functions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local timer fired {FunctionName}; succeeded: {Succeeded}")]
    private static partial void LogTimerFired(ILogger logger, string functionName, bool succeeded);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local blob trigger fired {FunctionName}: {State} after {Attempts} attempt(s)")]
    private static partial void LogBlobFired(ILogger logger, string functionName, ReceiptState state, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local trigger could not invoke {FunctionName}")]
    private static partial void LogInvokeFailed(ILogger logger, Exception exception, string functionName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local trigger for {FunctionName} cannot reach storage ({Error}); trying again")]
    private static partial void LogStorageUnavailable(ILogger logger, string functionName, string error);
}
