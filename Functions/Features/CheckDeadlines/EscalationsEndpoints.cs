using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Hosting.Http;
using ServerlessWorkflow.Functions.Hosting.Security;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// What the office sees of the ladders: <c>GET /api/directives/{id}/escalations</c> (GetEscalations:
/// per unit, each email sent — when, to whom, the result — and what the next run would send) and
/// <c>GET /api/outbox?state=</c> (ListOutbox: emails not sent yet, failed, or all of an office scope).
/// </summary>
public static class EscalationsEndpoints
{
    public static IEndpointRouteBuilder MapEscalations(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/directives/{id}/escalations", GetAsync).WithName("GetEscalations").WithTags("Escalations").RequireAuthorization(OfficeAuthentication.Policy);
        app.MapGet("/api/outbox", ListAsync).WithName("ListOutbox").WithTags("Escalations").RequireAuthorization(OfficeAuthentication.Policy);
        return app;
    }

    private static async Task<IResult> GetAsync(
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
        return TypedResults.Ok(new
        {
            id = directive.Id.Value,
            now,
            assignments = view.Value.Assignments.Select(a =>
            {
                var key = new AssignmentKey(directive.Id, a.Task.Id, a.UnitId);
                var ladder = ladders.GetValueOrDefault(key) ?? new LadderState(key, new HashSet<string>(), null);
                return new
                {
                    taskId = a.Task.Id.Value,
                    unitId = a.UnitId.Value,
                    unitName = a.Unit?.Name,
                    state = AssignmentStanding.Wire(a.Standing.State),
                    chainBroken = tree.ChainUpward(a.UnitId).IsBroken,
                    recorded = ladder.Recorded.Order(StringComparer.Ordinal),
                    emails = outbox[(a.Task.Id.Value, a.UnitId.Value)].Select(ToJson),
                    next = check.Preview(directive, a.Task, a.Unit, tree.ChainUpward(a.UnitId), a.Standing, ladder, now)
                        .Select(p => new { step = p.Step.Name, to = p.Recipients.To, cc = p.Recipients.Cc }),
                };
            }),
        });
    }

    private static async Task<IResult> ListAsync(string? state, string? scope, IEscalationStore store, CancellationToken cancellationToken)
    {
        var entries = scope is { Length: > 0 }
            ? await store.OutboxAsync(DirectiveId.Parse(scope).IsSuccess ? scope : OutboxEntry.OfficeScope, cancellationToken)
            : await store.UnsentAsync(500, cancellationToken);
        var filtered = Enum.TryParse<OutboxState>(state, ignoreCase: true, out var wanted) ? entries.Where(e => e.State == wanted) : entries;
        return TypedResults.Ok(filtered.Select(ToJson));
    }

    private static object ToJson(OutboxEntry e) => new
    {
        id = e.Id,
        step = e.Step,
        to = e.To,
        cc = e.Cc,
        subject = e.Content.Subject,
        state = e.State.ToString().ToLowerInvariant(),
        attempts = e.Attempts,
        createdAt = e.CreatedAt,
        nextAttemptAt = e.NextAttemptAt,
        sentAt = e.SentAt,
        result = e.Result,
    };
}
