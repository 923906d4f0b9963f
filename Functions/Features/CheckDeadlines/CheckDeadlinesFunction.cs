using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Storage;

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

/// <summary>Section <c>Escalation</c>: the ladder's timing and the step-3 list (comma-separated; default: <c>Email__Office</c>).</summary>
public sealed class EscalationOptions
{
    public const string Section = "Escalation";

    public int[] RemindersDaysBefore { get; set; } = [3, 1];

    public int Step2DaysOverdue { get; set; } = 2;

    public int Step3DaysOverdue { get; set; } = 5;

    public int SendHour { get; set; } = 7;

    public string? Recipients { get; set; }

    /// <summary>
    /// How long the outbox sender's blob lease lasts, in seconds (clamped to 15–60, the range blob
    /// leases allow; default 60). It is renewed at half-time while sending; a run that dies holding
    /// it delays sending by at most this long.
    /// </summary>
    public int SenderLeaseSeconds { get; set; } = 60;
}

public static class CheckDeadlinesFeature
{
    public static IServiceCollection AddCheckDeadlines(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EscalationOptions>(configuration.GetSection(EscalationOptions.Section));
        return services
            .AddTable(TableEscalationStore.EscalationsTable)
            .AddTable(TableEscalationStore.IndexTable)
            .AddContainer(OutboxSender.LocksContainer)
            .AddSingleton<IEscalationStore, TableEscalationStore>()
            .AddSingleton(sp =>
            {
                var o = sp.GetRequiredService<IOptions<EscalationOptions>>().Value;
                return new EscalationPolicy { RemindersDaysBefore = o.RemindersDaysBefore, Step2DaysOverdue = o.Step2DaysOverdue, Step3DaysOverdue = o.Step3DaysOverdue, SendHour = o.SendHour };
            })
            .AddSingleton(sp =>
            {
                var office = sp.GetRequiredService<IOptions<EmailOptions>>().Value.OfficeAddress?.Address ?? string.Empty;
                var list = (sp.GetRequiredService<IOptions<EscalationOptions>>().Value.Recipients ?? string.Empty)
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(r => Domain.Units.EmailAddress.Parse(r, "Escalation__Recipients"))
                    .Where(r => r.IsSuccess).Select(r => r.Value).ToList();
                return new OfficeAddresses(office, list);
            })
            .AddSingleton<IUnitLinks>(sp => sp.GetRequiredService<DirectiveRegistry>())
            .AddSingleton<DeadlineCheck>()
            .AddSingleton<OutboxSender>()
            .AddScoped<CheckDeadlinesFunction>();
    }

    public static IEndpointRouteBuilder MapCheckDeadlines(this IEndpointRouteBuilder app)
    {
        app.MapTimerTrigger<CheckDeadlinesFunction>(CheckDeadlinesFunction.FunctionName, CheckDeadlinesFunction.BindingName);
        return app;
    }
}
