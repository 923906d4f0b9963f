using ServerlessWorkflow.Domain.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// <c>GET /office/outbox?state=</c> (OfficeOutbox): when CheckDeadlines runs next (its schedule,
/// <see cref="EscalationOptions.Schedule"/>) and what that run would send, to whom; then every
/// email the system decided — sent, waiting, failed (with the provider's answer) or only
/// recorded — newest first.
/// </summary>
public static class OutboxPageEndpoint
{
    public const int MaxShown = 300;

    /// <summary>Directives whose last deadline passed longer ago than this are not previewed (their ladders are long climbed).</summary>
    public static readonly TimeSpan PreviewHorizon = TimeSpan.FromDays(30);

    public static IEndpointRouteBuilder MapOutboxPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/office/outbox", ShowAsync).WithName("OfficeOutbox").RequireOfficeRole(OfficeRole.VanPhong).AsPage();
        return app;
    }

    private static async Task<RazorComponentResult> ShowAsync(
        string? state, IDirectiveStore directives, DirectiveRegistry registry, UnitRegistry units, IEscalationStore store, DeadlineCheck check,
        IOptions<EscalationOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nextRun = TimerSchedule.Parse(options.Value.Schedule).NextAfter(now);
        var tree = await units.TreeAsync(cancellationToken);
        var preview = new List<PlannedLine>();
        var emails = new List<EmailLine>();
        foreach (var directive in await directives.ListAsync(cancellationToken))
        {
            emails.AddRange((await store.OutboxAsync(directive.Id.Value, cancellationToken)).Select(e => new EmailLine(directive, e)));
            if (directive.LastDeadline.PassesAt + PreviewHorizon < now || await registry.ViewAsync(directive.Id.Value, cancellationToken) is not { IsSuccess: true } view)
            {
                continue;
            }

            var ladders = (await store.LaddersAsync(directive.Id, cancellationToken)).ToDictionary(l => l.Key);
            foreach (var a in view.Value.Assignments)
            {
                var key = new AssignmentKey(directive.Id, a.Task.Id, a.UnitId);
                preview.AddRange(check.Preview(a.Task, a.Unit, tree.ChainUpward(a.UnitId), a.Standing, ladders.GetValueOrDefault(key) ?? LadderState.Empty(key), nextRun)
                    .Select(p => new PlannedLine(directive, a.Task, a.Unit?.Name ?? a.UnitId.Value, p.Step, p.Recipients)));
            }
        }

        emails.AddRange((await store.OutboxAsync(OutboxEntry.OfficeScope, cancellationToken)).Select(e => new EmailLine(null, e)));
        OutboxState? filter = WireFormat.TryParse<OutboxState>(state, out var wanted) ? wanted : null;
        return PageResults.Render<OutboxPage, OutboxModel>(new OutboxModel(
            nextRun,
            preview,
            emails.Where(e => filter is null || e.Entry.State == filter).OrderByDescending(e => e.Entry.CreatedAt).Take(MaxShown).ToList(),
            filter,
            emails.Count(e => e.Entry.State == OutboxState.Failed),
            emails.Any(e => e.Entry.State == OutboxState.Recorded)));
    }
}

/// <summary>What the outbox page shows: the next run and what it would send, and the emails decided (filtered, newest first).</summary>
public sealed record OutboxModel(DateTimeOffset NextRun, IReadOnlyList<PlannedLine> Preview, IReadOnlyList<EmailLine> Emails, OutboxState? Filter, int Failed, bool OnlyRecorded);

/// <summary>An email the next run would send.</summary>
public sealed record PlannedLine(Directive Directive, DirectiveTask Task, string Unit, LadderStep Step, Recipients Recipients);

/// <summary>An email decided; no directive for the office's digests.</summary>
public sealed record EmailLine(Directive? Directive, OutboxEntry Entry);
