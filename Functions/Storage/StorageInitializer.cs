using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace ServerlessWorkflow.Functions.Storage;

/// <summary>
/// Creates every table and container of <see cref="StorageLayout"/> when the handler starts.
/// Storage that is not reachable yet does not stop the handler from starting (the health
/// endpoint reports it): creation is retried in the background until it succeeds.
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

    /// <summary>Completes once every table and container exists.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The first attempt is part of start-up, so a healthy start serves requests with every table in place.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryCreateAllAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
            await Task.WhenAll(
                _layout.Tables.Select(t => tables.CreateTableIfNotExistsAsync(names.Table(t), cancellationToken))
                    .Concat<Task>(_layout.Containers.Select(c => blobs.GetBlobContainerClient(names.Container(c)).CreateIfNotExistsAsync(cancellationToken: cancellationToken))));
            LogCreated(logger, _layout.Tables.Count, _layout.Containers.Count);
            _ready.TrySetResult();
            return true;
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logger, ex.GetType().Name, RetryDelay.TotalSeconds);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: {TableCount} tables and {ContainerCount} containers exist")]
    private static partial void LogCreated(ILogger logger, int tableCount, int containerCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage is not reachable ({Error}); creating tables and containers again in {Seconds} s")]
    private static partial void LogUnavailable(ILogger logger, string error, double seconds);
}
