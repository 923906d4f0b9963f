using ServerlessWorkflow.Domain.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// What the office sees of the ladders: <c>GET /api/directives/{id}/escalations</c> (GetEscalations:
/// per unit, each email decided — when, to whom, the result — and what the next run would send) and
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
        string id, DirectiveRegistry registry, UnitRegistry units, IEscalationStore store, DeadlineCheck check, TimeProvider time, CancellationToken cancellationToken)
    {
        var view = await registry.ViewAsync(id, cancellationToken);
        if (!view.IsSuccess)
        {
            return Problems.For(view.Error!);
        }

        var directive = view.Value.Directive;
        var tree = await units.TreeAsync(cancellationToken);
        var ladders = (await store.LaddersAsync(directive.Id, cancellationToken)).ToDictionary(l => l.Key);
        var outbox = (await store.OutboxAsync(directive.Id.Value, cancellationToken)).ToLookup(e => (e.TaskId, e.UnitId));
        var now = time.GetUtcNow();
        return TypedResults.Ok(new EscalationsResponse(
            directive.Id.Value,
            now,
            view.Value.Assignments.Select(a =>
            {
                var key = new AssignmentKey(directive.Id, a.Task.Id, a.UnitId);
                var ladder = ladders.GetValueOrDefault(key) ?? LadderState.Empty(key);
                var chain = tree.ChainUpward(a.UnitId);
                return new AssignmentEscalations(
                    a.Task.Id.Value,
                    a.UnitId.Value,
                    a.Unit?.Name,
                    a.Standing.State,
                    chain.IsBroken,
                    ladder.Recorded.Order(StringComparer.Ordinal).ToList(),
                    outbox[(a.Task.Id.Value, a.UnitId.Value)].Select(OutboxEmail.Of).ToList(),
                    check.Preview(a.Task, a.Unit, chain, a.Standing, ladder, now)
                        .Select(p => new PlannedEmail(p.Step.Name, p.Recipients.To.Select(r => r.Value).ToList(), p.Recipients.Cc.Select(r => r.Value).ToList()))
                        .ToList());
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

/// <summary>A directive's ladders at <see cref="Now"/>.</summary>
public sealed record EscalationsResponse(string Id, DateTimeOffset Now, IReadOnlyList<AssignmentEscalations> Assignments);

/// <summary>One assignment's ladder: the steps recorded, the emails decided, and what the next run would send.</summary>
public sealed record AssignmentEscalations(
    string TaskId,
    string UnitId,
    string? UnitName,
    AssignmentState State,
    bool ChainBroken,
    IReadOnlyList<string> Recorded,
    IReadOnlyList<OutboxEmail> Emails,
    IReadOnlyList<PlannedEmail> Next);

/// <summary>An email the next run would send: its step and recipients.</summary>
public sealed record PlannedEmail(string Step, IReadOnlyList<string> To, IReadOnlyList<string> Cc);

/// <summary>An email decided, with its sending state and the provider's last answer.</summary>
public sealed record OutboxEmail(
    string Id,
    string Step,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    OutboxState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? SentAt,
    string? Result)
{
    public static OutboxEmail Of(OutboxEntry e) => new(
        e.Id, e.Step, e.To.Select(a => a.Value).ToList(), e.Cc.Select(a => a.Value).ToList(), e.Content.Subject,
        e.State, e.Attempts, e.CreatedAt, e.NextAttemptAt, e.SentAt, e.Result);
}
