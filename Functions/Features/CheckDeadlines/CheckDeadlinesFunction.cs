using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Functions.Hosting.Invocations;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// <c>CheckDeadlines</c> (timer, schedule in its function.json): one complete cycle — decide what
/// is due from stored state (reminders, the escalation ladder, the daily digest) and record it in the
/// outbox, then send what the outbox holds, including what earlier runs left unsent. It never reads
/// <c>IsPastDue</c> or the last run's time: a missed, failed or doubled run changes nothing about who gets what.
/// </summary>
public sealed partial class CheckDeadlinesFunction(DeadlineCheck check, OutboxSender sender, ILogger<CheckDeadlinesFunction> logger) : ITimerTriggerFunction
{
    public const string FunctionName = "CheckDeadlines";
    public const string BindingName = "timer";

    public async Task RunAsync(TimerTriggerInput timer, CancellationToken cancellationToken)
    {
        var decided = await check.RunAsync(cancellationToken);
        var drained = await sender.DrainAsync(cancellationToken);
        LogRun(logger, decided.Examined, decided.Recorded, decided.Lost, decided.DigestAdded, drained.Sent, drained.Deferred, drained.Failed, drained.Recorded);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CheckDeadlines: examined {Examined}, recorded {Recorded}, lost races {Lost}, digest {Digest}; sent {Sent}, deferred {Deferred}, failed {Failed}, recorded without sending {NotSent}")]
    private static partial void LogRun(ILogger logger, int examined, int recorded, int lost, bool digest, int sent, int deferred, int failed, int notSent);
}
