using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace ServerlessWorkflow.Functions.Storage;

/// <summary>
/// Creates every table and container of <see cref="StorageLayout"/> that does not exist yet when the handler starts.
/// Storage that is not reachable yet does not stop the handler from starting (the health
/// endpoint reports it): creation is retried in the background until it succeeds.
/// The first attempt runs beside the rest of the start; requests wait for its outcome.
/// </summary>
internal sealed partial class StorageInitializer(
    IOptions<StorageLayout> layoutOptions,
    StorageNames names,
    TableServiceClient tables,
    BlobServiceClient blobs,
    TimeProvider time,
    ILogger<StorageInitializer> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StorageLayout _layout = layoutOptions.Value;

    private Task<bool>? _firstAttempt;

    /// <summary>Completes once every table and container exists.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Completes when the first attempt, begun at start, has succeeded or failed: requests wait for it (<see cref="StorageServiceCollectionExtensions"/>), so a healthy start serves them with every table in place.</summary>
    public Task FirstAttempt => _firstAttempt ?? Task.CompletedTask;

    /// <summary>Begins the first attempt without waiting for it, so the rest of the start (and Kestrel) runs while storage answers.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _firstAttempt = TryCreateAllAsync(CancellationToken.None);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await FirstAttempt;
        while (!_ready.Task.IsCompleted && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await TryCreateAllAsync(stoppingToken);
        }
    }

    private async Task<bool> TryCreateAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Two listings say what exists (one request each in the usual case); only what is
            // missing is created, so a start against a ready account costs two requests, not one per table.
            var tablesTask = ExistingTablesAsync(cancellationToken);
            var containersTask = ExistingContainersAsync(cancellationToken);
            var (existingTables, existingContainers) = (await tablesTask, await containersTask);
            var missingTables = _layout.Tables.Select(names.Table).Where(t => !existingTables.Contains(t)).ToList();
            var missingContainers = _layout.Containers.Select(names.Container).Where(c => !existingContainers.Contains(c)).ToList();
            await Task.WhenAll(
                missingTables.Select(t => tables.CreateTableIfNotExistsAsync(t, cancellationToken))
                    .Concat<Task>(missingContainers.Select(c => blobs.GetBlobContainerClient(c).CreateIfNotExistsAsync(cancellationToken: cancellationToken))));
            LogReady(logger, _layout.Tables.Count, _layout.Containers.Count, missingTables.Count + missingContainers.Count);
            _ready.TrySetResult();
            return true;
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, ex.GetType().Name, RetryDelay.TotalSeconds);
            return false;
        }
    }

    /// <summary>The tables whose names start with this app's prefix (all of the account's when there is none).</summary>
    private async Task<HashSet<string>> ExistingTablesAsync(CancellationToken cancellationToken)
    {
        var filter = names.Prefix.Length == 0
            ? null
            : TableClient.CreateQueryFilter($"TableName ge {names.Prefix} and TableName lt {names.Prefix + '{'}");
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var table in tables.QueryAsync(filter, cancellationToken: cancellationToken))
        {
            existing.Add(table.Name);
        }

        return existing;
    }

    private async Task<HashSet<string>> ExistingContainersAsync(CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: names.Prefix.Length == 0 ? null : names.Prefix, cancellationToken: cancellationToken))
        {
            existing.Add(container.Name);
        }

        return existing;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: {TableCount} tables and {ContainerCount} containers exist ({Created} created now)")]
    private static partial void LogReady(ILogger logger, int tableCount, int containerCount, int created);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage is not reachable ({Error}); creating tables and containers again in {Seconds} s")]
    private static partial void LogUnavailable(ILogger logger, string error, double seconds);
}
