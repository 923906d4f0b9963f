using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Hosting.Telemetry;

namespace ServerlessWorkflow.Functions.Features.Statistics;

/// <summary>
/// <c>ImportStatistics</c> (blob trigger on <c>uploads/{name}</c>, binary): parses, validates and
/// consolidates one uploaded statistics spreadsheet (see <see cref="StatisticsImport"/>). A bad file
/// is a completed invocation with a rejection recorded, not a failure: only storage trouble fails
/// it, so the host retries only what a retry can fix.
/// </summary>
public sealed partial class ImportStatisticsFunction(StatisticsImport import, AppTelemetry telemetry, ILogger<ImportStatisticsFunction> logger) : IBlobTriggerFunction
{
    public const string FunctionName = "ImportStatistics";
    public const string BindingName = "blob";

    public async Task RunAsync(BlobTriggerInput blob, CancellationToken cancellationToken)
    {
        var result = await import.ImportAsync(blob.Name, blob.Content, cancellationToken);
        if (result.State is { } s)
        {
            telemetry.Upload(s.ToString().ToLowerInvariant());
        }

        LogImported(logger, blob.Content.Length, result.State?.ToString() ?? "ignored (not an upload)", result.Conflicts);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ImportStatistics: {Bytes} bytes → {State} ({Conflicts} concurrent changes of the totals retried)")]
    private static partial void LogImported(ILogger logger, int bytes, string state, int conflicts);
}
