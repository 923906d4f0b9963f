using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Functions.Hosting.Invocations;
using ServerlessWorkflow.Functions.Storage;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// Section <c>Escalation</c>: the ladder's timing (<see cref="DueRule"/> applies it), the step-3 list
/// (comma-separated; when empty, step 3 goes to <c>Email__Office</c> with a line saying the
/// committees' addresses are not configured), the runs' leases, and the schedule CheckDeadlines runs
/// on (the same NCRONTAB as its function.json, which the host reads; the office's pages read this one).
/// </summary>
public sealed class EscalationOptions
{
    public const string Section = "Escalation";

    /// <summary>The schedule in CheckDeadlines' function.json; a test keeps the two equal.</summary>
    public const string DefaultSchedule = "0 */5 * * * *";

    public int[] RemindersDaysBefore { get; set; } = [3, 1];

    public int Step1DaysOverdue { get; set; } = 1;

    public int Step2DaysOverdue { get; set; } = 2;

    public int Step3DaysOverdue { get; set; } = 5;

    public int SendHour { get; set; } = 7;

    /// <summary><c>Escalation__SendOnDaysOff</c>: true sends reminders, steps and the digest on weekends and holidays too (as before the working-day calendar); default false: the next working day.</summary>
    public bool SendOnDaysOff { get; set; }

    public string? Recipients { get; set; }

    /// <summary>
    /// How long the blob leases of a run last — the one deciding the ladders and the one sending the
    /// outbox — in seconds (15–60, the range blob leases allow; default 60). Each is renewed at
    /// half-time while held; a run that dies holding one delays that job by at most this long.
    /// </summary>
    public int SenderLeaseSeconds { get; set; } = 60;

    /// <summary>
    /// <c>Escalation__TellUnits</c>: true (default) emails each unit of a directive, on registration, its
    /// tasks, deadlines and link (<see cref="UnitNotices"/>); false leaves handing out links to the office.
    /// </summary>
    public bool TellUnits { get; set; } = true;

    /// <summary>When CheckDeadlines runs (six-field NCRONTAB, UTC, or an interval): for telling the office when the next run is.</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>The step-3 list as configured, each entry as written.</summary>
    public IEnumerable<string> RecipientList =>
        (Recipients ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static void Validate(EscalationOptions o, SettingsCheck check)
    {
        check.That(o.RemindersDaysBefore.All(d => d is >= 1 and <= 30), nameof(RemindersDaysBefore), "must be days before the last day, each from 1 to 30.");
        check.That(o.Step1DaysOverdue is >= 1 and <= 30, nameof(Step1DaysOverdue), $"must be from 1 to 30 days (is {o.Step1DaysOverdue}).");
        check.That(o.Step2DaysOverdue > o.Step1DaysOverdue && o.Step2DaysOverdue <= 60, nameof(Step2DaysOverdue), $"must be after step 1 ({o.Step1DaysOverdue}) and at most 60 days (is {o.Step2DaysOverdue}).");
        check.That(o.Step3DaysOverdue > o.Step2DaysOverdue && o.Step3DaysOverdue <= 90, nameof(Step3DaysOverdue), $"must be after step 2 ({o.Step2DaysOverdue}) and at most 90 days (is {o.Step3DaysOverdue}).");
        check.That(o.SendHour is >= 0 and <= 23, nameof(SendHour), $"must be an hour from 0 to 23 (is {o.SendHour}).");
        foreach (var address in o.RecipientList.Where(a => !EmailAddress.Parse(a).IsSuccess))
        {
            check.That(false, nameof(Recipients), $"holds '{address}', which is not an email address.");
        }

        check.That(o.SenderLeaseSeconds is >= 15 and <= 60, nameof(SenderLeaseSeconds), $"must be from 15 to 60 seconds, as blob leases allow (is {o.SenderLeaseSeconds}).");
        check.That(TimerSchedule.TryParse(o.Schedule, out _), nameof(Schedule), $"is not a six-field NCRONTAB expression or an interval (is '{o.Schedule}').");
    }
}

/// <summary>
/// The units' notices as the registry's listener and the editor's notices (unless
/// <see cref="EscalationOptions.TellUnits"/> is off), resolved on first use: the notices need the
/// links the registry itself makes.
/// </summary>
internal sealed class DeferredUnitNotices(IServiceProvider services) : IRegistrationListener, IDirectiveNotices
{
    private UnitNotices? Notices =>
        services.GetRequiredService<IOptions<EscalationOptions>>().Value.TellUnits ? services.GetRequiredService<UnitNotices>() : null;

    public Task RegisteringAsync(Directive directive, CancellationToken cancellationToken) =>
        (Notices as IRegistrationListener)?.RegisteringAsync(directive, cancellationToken) ?? Task.CompletedTask;

    public Task RegisteredAsync(Directive directive, CancellationToken cancellationToken) =>
        (Notices as IRegistrationListener)?.RegisteredAsync(directive, cancellationToken) ?? Task.CompletedTask;

    public Task UnitsAddingAsync(DirectiveId directive, CancellationToken cancellationToken) =>
        (Notices as IDirectiveNotices)?.UnitsAddingAsync(directive, cancellationToken) ?? Task.CompletedTask;

    public Task UnitsAddedAsync(Directive directive, IReadOnlyList<AssignmentKey> added, IReadOnlyList<IssuedLink> links, CancellationToken cancellationToken) =>
        (Notices as IDirectiveNotices)?.UnitsAddedAsync(directive, added, links, cancellationToken) ?? Task.CompletedTask;
}

public static class CheckDeadlinesFeature
{
    public static IServiceCollection AddCheckDeadlines(this IServiceCollection services)
    {
        services.AddSettings<EscalationOptions>(EscalationOptions.Section, EscalationOptions.Validate);
        return services
            .AddTable(TableEscalationStore.EscalationsTable)
            .AddTable(TableEscalationStore.IndexTable)
            .AddContainer(RunLeases.LocksContainer)
            .AddSingleton<IEscalationStore, TableEscalationStore>()
            .AddSingleton(sp =>
            {
                var o = sp.GetRequiredService<IOptions<EscalationOptions>>().Value;
                return new EscalationPolicy
                {
                    RemindersDaysBefore = o.RemindersDaysBefore,
                    Step1DaysOverdue = o.Step1DaysOverdue,
                    Step2DaysOverdue = o.Step2DaysOverdue,
                    Step3DaysOverdue = o.Step3DaysOverdue,
                    SendHour = o.SendHour,
                    SendOnDaysOff = o.SendOnDaysOff,
                };
            })
            .AddSingleton(sp => new DueRule(sp.GetRequiredService<EscalationPolicy>()))
            .AddSingleton(sp => new OfficeAddresses(
                sp.GetRequiredService<IOptions<EmailOptions>>().Value.OfficeAddress?.Address,
                sp.GetRequiredService<IOptions<EscalationOptions>>().Value.RecipientList.Select(a => EmailAddress.Parse(a).Value).ToList()))
            .AddSingleton<IUnitLinks>(sp => sp.GetRequiredService<DirectiveRegistry>())
            .AddSingleton<DeadlineCheck>()
            .AddSingleton<LadderDesk>()
            .AddSingleton<UnitNotices>()
            .AddSingleton<DeferredUnitNotices>()
            .AddSingleton<IRegistrationListener>(sp => sp.GetRequiredService<DeferredUnitNotices>())
            .AddSingleton<IDirectiveNotices>(sp => sp.GetRequiredService<DeferredUnitNotices>())
            .AddSingleton<RunLeases>()
            .AddSingleton<OutboxSender>()
            .AddSingleton<OutboxPageServices>()
            .AddScoped<CheckDeadlinesFunction>();
    }

    public static IEndpointRouteBuilder MapCheckDeadlines(this IEndpointRouteBuilder app)
    {
        app.MapTimerTrigger<CheckDeadlinesFunction>(CheckDeadlinesFunction.FunctionName, CheckDeadlinesFunction.BindingName);
        return app;
    }
}
