using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.ErrorReports;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Shared.Audit;

namespace ServerlessWorkflow.Functions.Features.ErrorReports;

/// <summary>
/// <c>ApplyRetention</c> (timer, daily at 02:00 Vietnam time — 19:00 UTC in its function.json):
/// anonymises every closed data-error report whose retention period (<c>ErrorReports__RetentionDays</c>
/// after it was closed) has run out, and records it in the audit trail. Derived from stored state
/// only: a missed run is made good by the next, and a run twice or at once with another changes each
/// report once (the write is conditional, an anonymised report is never due again).
/// </summary>
public sealed partial class ApplyRetentionFunction(ErrorReportDesk desk, IOptions<ErrorReportOptions> options, OfficeAudit audit, ILogger<ApplyRetentionFunction> logger) : ITimerTriggerFunction
{
    public const string FunctionName = "ApplyRetention";
    public const string BindingName = "timer";

    public async Task RunAsync(TimerTriggerInput timer, CancellationToken cancellationToken)
    {
        var anonymised = await desk.AnonymiseDueAsync(options.Value.Retention, cancellationToken);
        if (anonymised.Count > 0)
        {
            await audit.RecordAsync(AuditActor.System, AuditAction.ErrorReportsAnonymised, cancellationToken,
                summary: $"Hết {options.Value.RetentionDays} ngày lưu sau khi xử lý xong; {anonymised.Count} phản ánh: {string.Join(", ", anonymised.Select(r => r.Code.Value))}");
        }

        LogRun(logger, anonymised.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ApplyRetention: {Count} closed reports anonymised")]
    private static partial void LogRun(ILogger logger, int count);
}
