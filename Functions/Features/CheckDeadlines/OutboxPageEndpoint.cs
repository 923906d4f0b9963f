using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Email;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// <c>GET /office/outbox?state=</c> (OfficeOutbox): when CheckDeadlines runs next (its schedule,
/// <see cref="EscalationOptions.Schedule"/>) and what that run will send, to whom — computed by the
/// run's own code (<see cref="DeadlineCheck.PlanAsync"/>) at that moment; then every email the
/// system decided — sent, waiting, failed, only recorded or not sent — newest first, each said in
/// Vietnamese with the provider's raw answer in a details line. <c>POST /office/outbox/{scope}/{id}/resend</c>
/// (OfficeResendEmail): sends a failed email again, from a form with its token.
/// </summary>
public static class OutboxPageEndpoint
{
    public const int MaxShown = 300;

    public static IEndpointRouteBuilder MapOutboxPage(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office/outbox").RequireOfficeRole(OfficeRole.VanPhong);
        office.MapGet("/", (string? state, string? sent, OutboxPageServices services, CancellationToken cancellationToken) =>
            ShowAsync(state, sent, null, services, cancellationToken)).WithName("OfficeOutbox").AsPage();
        office.MapPost("/{scope}/{id}/resend", ResendAsync).WithName("OfficeResendEmail").WithFormBody<ResendForm>(ResendForm.MaxBody).AsPage();
        return app;
    }

    /// <summary>Sends a failed email again, then (when no run is sending) at once; back to where the office pressed the button.</summary>
    private static async Task<Results<SeeOther, RazorComponentResult>> ResendAsync(
        string scope, string id, Body<ResendForm> body, ClaimsPrincipal user, LadderDesk desk, OutboxSender sender, OfficeAudit audit, OutboxPageServices services, CancellationToken cancellationToken)
    {
        var resent = await desk.ResendAsync(scope, id, cancellationToken);
        if (!resent.IsSuccess)
        {
            return await ShowAsync(null, null, resent.Error, services, cancellationToken);
        }

        await audit.RecordAsync(user, AuditAction.EmailResent, cancellationToken, subject: id, summary: $"Thư {id}", directiveId: scope == OutboxEntry.OfficeScope ? null : scope);

        await sender.SendNowAsync(scope, id, cancellationToken);
        return new SeeOther(body.Value.Back(scope, id));
    }

    private static async Task<RazorComponentResult> ShowAsync(string? state, string? sent, Error? problem, OutboxPageServices services, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var nextRun = TimerSchedule.Parse(services.Options.Value.Schedule).NextAfter(now);
        var plan = await services.Check.PlanAsync(nextRun, cancellationToken);
        var tree = await services.Units.TreeAsync(cancellationToken);
        var directives = (await services.Directives.ListAsync(cancellationToken)).ToDictionary(d => d.Id.Value);
        var emails = new List<OutboxLine>();
        foreach (var directive in directives.Values)
        {
            emails.AddRange((await services.Store.OutboxAsync(directive.Id.Value, cancellationToken)).Select(e => OutboxLine.Of(e, directive, tree)));
        }

        emails.AddRange((await services.Store.OutboxAsync(OutboxEntry.OfficeScope, cancellationToken)).Select(e => OutboxLine.Of(e, null, tree)));
        var preview = plan.AllEmails.Select(e => OutboxLine.Of(e, directives.GetValueOrDefault(e.Scope), tree)).ToList();
        var unreachable = plan.Unreachable.Select(u => (directives.GetValueOrDefault(u.Key.DirectiveId.Value), tree.Find(u.Key.UnitId)?.Name ?? u.Key.UnitId.Value, u.Step)).ToList();
        OutboxState? filter = WireFormat.TryParse<OutboxState>(state, out var wanted) ? wanted : null;
        var justSent = sent is { Length: > 0 } ? emails.FirstOrDefault(e => e.Entry.Id == sent) : null;
        return PageResults.Render<OutboxPage, OutboxModel>(
            new OutboxModel(
                nextRun,
                preview,
                unreachable,
                emails.Where(e => filter is null || e.Entry.State == filter).OrderByDescending(e => e.Entry.CreatedAt).Take(MaxShown).ToList(),
                filter,
                emails.Count(e => e.Entry.State == OutboxState.Failed),
                services.SendingNotConfigured,
                justSent,
                problem),
            problem is null ? StatusCodes.Status200OK : problem.Kind == ErrorKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict);
    }
}

/// <summary>What the outbox page reads: the check (for the preview), the stores, the unit tree, the schedule, and whether sending is configured now.</summary>
public sealed class OutboxPageServices(
    DeadlineCheck check,
    IEscalationStore store,
    IDirectiveStore directives,
    UnitRegistry units,
    IOptions<EscalationOptions> options,
    IOptions<SendGridOptions> sendGrid,
    IOptions<EmailOptions> email,
    TimeProvider time)
{
    public DeadlineCheck Check => check;

    public IEscalationStore Store => store;

    public IDirectiveStore Directives => directives;

    public UnitRegistry Units => units;

    public IOptions<EscalationOptions> Options => options;

    public TimeProvider Time => time;

    /// <summary>Why emails are only recorded now, if they are: no provider key, or no sender address.</summary>
    public OutboxNote? SendingNotConfigured =>
        string.IsNullOrWhiteSpace(sendGrid.Value.ApiKey) ? OutboxNote.NoProvider : email.Value.FromAddress is null ? OutboxNote.NoSender : null;
}

/// <summary>The resend form: where to go back to — the outbox (default) or the unit's ladder page it was pressed on.</summary>
public sealed record ResendForm(string? From, string? Unit) : IRequestBody<ResendForm>
{
    public const long MaxBody = 4 * 1024;

    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static ResendForm FromForm(IFormCollection form) => new(form["from"], form["unit"]);

    /// <summary>Back to the unit's page when it came from there (its ids checked), else to the outbox; never anywhere else.</summary>
    public string Back(string scope, string id) =>
        From == "unit" && DirectiveId.Parse(scope).IsSuccess && UnitId.Parse(Unit).IsSuccess
            ? $"/office/directives/{scope}/units/{Unit}?gui={Uri.EscapeDataString(id)}"
            : $"/office/outbox?sent={Uri.EscapeDataString(id)}";
}

/// <summary>An email as the office's pages list it: the directive (none for digests), what it is about, to whom, and its state in words.</summary>
public sealed record OutboxLine(OutboxEntry Entry, Directive? Directive, string What, IReadOnlyList<string> About)
{
    public static OutboxLine Of(OutboxEntry e, Directive? directive, UnitTree tree)
    {
        var about = e.Assignments
            .Select(a => (Unit: tree.Find(a.UnitId)?.Name ?? a.UnitId.Value, Task: directive?.FindTask(a.TaskId)?.Title ?? a.TaskId.Value))
            .Select(a => directive is { Tasks.Count: > 1 } ? $"{a.Unit} — {a.Task}" : a.Unit)
            .ToList();
        return new OutboxLine(e, directive, NoticeSteps.DisplayName(e.Step), about);
    }

    public string Message => OutboxNotes.Describe(Entry);

    public string StateClass => Entry.State switch
    {
        OutboxState.Sent => "ok",
        OutboxState.Failed => "late",
        OutboxState.Skipped => "muted",
        _ => "warn",
    };
}

/// <summary>What the outbox page shows: the next run and what it will send, steps due with nobody to send them to, the emails decided (filtered, newest first), and the outcome of a resend.</summary>
public sealed record OutboxModel(
    DateTimeOffset NextRun,
    IReadOnlyList<OutboxLine> Preview,
    IReadOnlyList<(Directive? Directive, string Unit, LadderStep Step)> Unreachable,
    IReadOnlyList<OutboxLine> Emails,
    OutboxState? Filter,
    int Failed,
    OutboxNote? NotConfigured,
    OutboxLine? JustSent,
    Error? Problem);
