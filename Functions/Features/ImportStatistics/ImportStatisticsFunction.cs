using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.ImportStatistics;

/// <summary>
/// <c>ImportStatistics</c> (blob trigger on <c>uploads/{name}</c>, binary): parses, validates and
/// consolidates one uploaded statistics spreadsheet. The parsing arrives with the statistics
/// feature; until then an invocation only records the blob it was given.
/// </summary>
public sealed partial class ImportStatisticsFunction(ILogger<ImportStatisticsFunction> logger) : IBlobTriggerFunction
{
    public const string FunctionName = "ImportStatistics";
    public const string BindingName = "blob";

    /// <summary>The container the trigger watches (logical name; see <see cref="StorageNames"/>).</summary>
    public const string UploadsContainer = "uploads";

    public Task RunAsync(BlobTriggerInput blob, CancellationToken cancellationToken)
    {
        LogReceived(logger, blob.Content.Length, blob.Properties.ETag);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ImportStatistics received {Bytes} bytes (ETag {ETag})")]
    private static partial void LogReceived(ILogger logger, int bytes, string? etag);
}

public static class ImportStatisticsFeature
{
    public static IServiceCollection AddImportStatistics(this IServiceCollection services) =>
        services.AddContainer(ImportStatisticsFunction.UploadsContainer)
            .AddScoped<ImportStatisticsFunction>();

    public static IEndpointRouteBuilder MapImportStatistics(this IEndpointRouteBuilder app)
    {
        app.MapBlobTrigger<ImportStatisticsFunction>(ImportStatisticsFunction.FunctionName, ImportStatisticsFunction.BindingName);
        return app;
    }
}
