using ServerlessWorkflow.Domain.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// What the office sees of the ladders: <c>GET /api/directives/{id}/escalations</c> (GetEscalations:
/// per unit, each email decided — when, to whom, the result — and what the next run will send,
/// computed by the run's own code at the run's next fire time) and
/// <c>GET /api/outbox?state=&amp;scope=</c> (ListOutbox: emails not settled yet, or all of a scope: a directive or <c>office</c>).
/// </summary>
public static class EscalationsEndpoints
{
    public static IEndpointRouteBuilder MapEscalations(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/directives/{id}/escalations", GetAsync).WithName("GetEscalations").WithTags("Escalations")
            .RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/outbox", ListAsync).WithName("ListOutbox").WithTags("Escalations").RequireOfficeRole(OfficeRole.VanPhong);
        return app;
    }

    private static async Task<Results<Ok<EscalationsResponse>, ApiProblem>> GetAsync(
        string id, DirectiveRegistry registry, UnitRegistry units, IEscalationStore store, DeadlineCheck check, IOptions<EscalationOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var view = await registry.ViewAsync(id, cancellationToken);
        if (!view.IsSuccess)
        {
            return Problems.For(view.Error!);
        }

        var directive = view.Value.Directive;
        var tree = await units.TreeAsync(cancellationToken);
        var ladders = (await store.LaddersAsync(directive.Id, cancellationToken)).ToDictionary(l => l.Key);
        var outbox = await store.OutboxAsync(directive.Id.Value, cancellationToken);
        var now = time.GetUtcNow();
        var nextRun = TimerSchedule.Parse(options.Value.Schedule).NextAfter(now);
        var planned = (await check.PlanAsync(nextRun, cancellationToken)).Emails.Where(e => e.Entry.Scope == directive.Id.Value).Select(e => e.Entry).ToList();
        return TypedResults.Ok(new EscalationsResponse(
            directive.Id.Value,
            now,
            nextRun,
            planned.Select(PlannedEmail.Of).ToList(),
            view.Value.Assignments.Select(a =>
            {
                var key = new AssignmentKey(directive.Id, a.Task.Id, a.UnitId);
                var ladder = ladders.GetValueOrDefault(key) ?? LadderState.Empty(key);
                return new AssignmentEscalations(
                    a.Task.Id.Value,
                    a.UnitId.Value,
                    a.Unit?.Name,
                    a.Standing.State,
                    tree.ChainUpward(a.UnitId).IsBroken,
                    ladder.Recorded.Order(StringComparer.Ordinal).ToList(),
                    ladder.Hold is { } hold ? new HoldResponse(WireFormat.Date(hold.Through), hold.Note, hold.SetAt) : null,
                    outbox.Where(e => e.Carries(key)).Select(OutboxEmail.Of).ToList(),
                    planned.Where(e => e.Carries(key)).Select(PlannedEmail.Of).ToList());
            }).ToList()));
    }

    /// <summary><paramref name="state"/>: pending, sent, failed or recorded (another value lists every state).</summary>
    private static async Task<Ok<List<OutboxEmail>>> ListAsync(string? state, string? scope, IEscalationStore store, CancellationToken cancellationToken)
    {
        OutboxState? wanted = WireFormat.TryParse<OutboxState>(state, out var parsed) ? parsed : null;
        var entries = scope is { Length: > 0 }
            ? await store.OutboxAsync(DirectiveId.Parse(scope).IsSuccess ? scope : OutboxEntry.OfficeScope, cancellationToken)
            : (await store.UnsentAsync(500, cancellationToken)).Select(e => e.Value).ToList();
        return TypedResults.Ok(entries.Where(e => wanted is null || e.State == wanted).Select(OutboxEmail.Of).ToList());
    }
}

/// <summary>A directive's ladders at <see cref="Now"/>, and what the next run (at <see cref="NextRun"/>) will send for it.</summary>
public sealed record EscalationsResponse(string Id, DateTimeOffset Now, DateTimeOffset NextRun, IReadOnlyList<PlannedEmail> Planned, IReadOnlyList<AssignmentEscalations> Assignments);

/// <summary>One assignment's ladder: the steps recorded, the office's hold, the emails that carried its steps, and what the next run will send for it.</summary>
public sealed record AssignmentEscalations(
    string TaskId,
    string UnitId,
    string? UnitName,
    AssignmentState State,
    bool ChainBroken,
    IReadOnlyList<string> Recorded,
    HoldResponse? Hold,
    IReadOnlyList<OutboxEmail> Emails,
    IReadOnlyList<PlannedEmail> Next);

/// <summary>The office held the ladder through <see cref="Through"/> (an ISO date): nothing is sent before the next day.</summary>
public sealed record HoldResponse(string Through, string Note, DateTimeOffset SetAt);

/// <summary>A task and unit an email carries the step of.</summary>
public sealed record EmailAssignment(string TaskId, string UnitId)
{
    public static IReadOnlyList<EmailAssignment> Of(OutboxEntry e) => e.Assignments.Select(a => new EmailAssignment(a.TaskId.Value, a.UnitId.Value)).ToList();
}

/// <summary>An email the next run will send: its id, step, recipients, subject and the assignments it carries — computed by the run's own code at the run's fire time.</summary>
public sealed record PlannedEmail(string Id, string Step, IReadOnlyList<string> To, IReadOnlyList<string> Cc, string Subject, IReadOnlyList<EmailAssignment> Assignments)
{
    public static PlannedEmail Of(OutboxEntry e) => new(e.Id, e.Step, e.To.Select(r => r.Value).ToList(), e.Cc.Select(r => r.Value).ToList(), e.Content.Subject, EmailAssignment.Of(e));
}

/// <summary>
/// An email decided, with its sending state; <see cref="Message"/> says it as the office reads it
/// (Vietnamese), <see cref="Result"/> is the provider's raw answer.
/// </summary>
public sealed record OutboxEmail(
    string Id,
    string Step,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    IReadOnlyList<EmailAssignment> Assignments,
    OutboxState State,
    string Message,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? SentAt,
    string? Result)
{
    public static OutboxEmail Of(OutboxEntry e) => new(
        e.Id, e.Step, e.To.Select(a => a.Value).ToList(), e.Cc.Select(a => a.Value).ToList(), e.Content.Subject, EmailAssignment.Of(e),
        e.State, OutboxNotes.Describe(e), e.Attempts, e.CreatedAt, e.NextAttemptAt, e.SentAt, e.Result);
}
