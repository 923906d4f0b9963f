using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Functions.Hosting.Invocations;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// <c>CheckDeadlines</c> (timer, schedule in its function.json): one complete cycle — decide what
/// is due from stored state (reminders, the escalation ladder, the daily digest) and record it in the
/// outbox, then send what the outbox holds, including what earlier runs left unsent. It never reads
/// <c>IsPastDue</c> or the last run's time: a missed, failed or doubled run changes nothing about who
/// gets what. Deciding happens under the <see cref="DecideLease"/> lease: while one run decides,
/// an overlapping one leaves it the deciding (an email that carries several units is then decided
/// once, whole) and only helps send. Before deciding, the run finishes directive registrations a
/// crash cut short (<see cref="RegistrationDesk.RepairAsync"/>), so their units are reminded in the same run. The deciding run also repairs the units' notices
/// (<see cref="UnitNotices.RepairAsync"/>), which then go out with the rest.
/// </summary>
public sealed partial class CheckDeadlinesFunction(DeadlineCheck check, RegistrationDesk registrations, UnitNotices notices, OutboxSender sender, RunLeases leases, ILogger<CheckDeadlinesFunction> logger) : ITimerTriggerFunction
{
    public const string FunctionName = "CheckDeadlines";
    public const string BindingName = "timer";
    public const string DecideLease = "deadline-check";

    public async Task RunAsync(TimerTriggerInput timer, CancellationToken cancellationToken)
    {
        CheckReport? decided = null;
        await using (var lease = await leases.TryAcquireAsync(DecideLease, cancellationToken))
        {
            if (lease is null)
            {
                LogDecidingElsewhere(logger);
            }
            else
            {
                var repaired = await registrations.RepairAsync(cancellationToken);
                if (repaired.Finished + repaired.Dropped > 0)
                {
                    LogRepaired(logger, repaired.Finished, repaired.Dropped);
                }

                decided = await check.RunAsync(cancellationToken);

                // Units not yet told of a directive (a registration stopped between storing it and telling them): told now, once.
                await notices.RepairAsync(cancellationToken);
            }
        }

        var drained = await sender.DrainAsync(cancellationToken);
        LogRun(logger, decided?.Examined ?? 0, decided?.Recorded ?? 0, decided?.Lost ?? 0, decided?.DigestAdded ?? false, drained.Sent, drained.Deferred, drained.Failed, drained.Recorded, drained.Skipped);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CheckDeadlines: another run is deciding; this one only sends")]
    private static partial void LogDecidingElsewhere(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CheckDeadlines: finished {Finished} directive registrations cut short, dropped {Dropped} that never became visible")]
    private static partial void LogRepaired(ILogger logger, int finished, int dropped);

    [LoggerMessage(Level = LogLevel.Information, Message = "CheckDeadlines: examined {Examined}, recorded {Recorded}, lost races {Lost}, digest {Digest}; sent {Sent}, deferred {Deferred}, failed {Failed}, recorded without sending {NotSent}, skipped {Skipped}")]
    private static partial void LogRun(ILogger logger, int examined, int recorded, int lost, bool digest, int sent, int deferred, int failed, int notSent, int skipped);
}
