using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>What one deadline check decided.</summary>
public sealed record CheckReport(int Examined, int Recorded, int Lost, bool DigestAdded);

/// <summary>Makes the signed link a unit's email points to.</summary>
public interface IUnitLinks
{
    string UrlFor(Directive directive, UnitId unit);
}

/// <summary>
/// One run of the deadline check: reads only the assignments the index says are due, decides their
/// ladder from stored state and now (never from when the timer last ran), and records each decision
/// with its emails atomically. The office's digest is decided once per Vietnam day. Sending is
/// separate (the outbox sender), so a crash here loses nothing: an undecided step is decided by the
/// next run, a decided one is in the outbox. Each decision recorded is appended to the audit trail
/// (once: a run that loses the race to record it appends nothing).
/// </summary>
public sealed class DeadlineCheck(
    IEscalationStore store,
    IDirectiveStore directives,
    ISubmissionStore submissions,
    UnitRegistry units,
    IUnitLinks links,
    EscalationPolicy policy,
    OfficeAddresses office,
    IAuditTrail trail,
    TimeProvider time)
{
    public const int MaxPerRun = 2000;

    public async Task<CheckReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await store.DueAsync(now, MaxPerRun, cancellationToken);
        var tree = due.Count > 0 ? await units.TreeAsync(cancellationToken) : new UnitTree([]);
        var cache = new Dictionary<DirectiveId, Directive?>();
        int recorded = 0, lost = 0;
        foreach (var entry in due)
        {
            switch (await DecideAsync(entry, tree, cache, now, cancellationToken))
            {
                case true: recorded++; break;
                case false: lost++; break;
            }
        }

        var digest = await DecideDigestAsync(now, cancellationToken);
        return new CheckReport(due.Count, recorded, lost, digest);
    }

    /// <summary>What the next run would send for one assignment, without recording anything (the office's preview).</summary>
    public IReadOnlyList<(LadderStep Step, Recipients Recipients)> Preview(DirectiveTask task, Unit? unit, UnitChain chain, AssignmentStanding standing, LadderState ladder, DateTimeOffset now)
    {
        var completed = standing.State is AssignmentState.SubmittedOnTime or AssignmentState.SubmittedLate;
        var decision = Ladder.Decide(policy, task.Deadline, completed, ladder.Recorded, now);
        return unit is null ? [] : decision.Send.Select(s => (s, Ladder.RecipientsFor(s, unit, chain, office))).ToList();
    }

    /// <summary>True: recorded; false: another run recorded first; null: nothing to record.</summary>
    private async Task<bool?> DecideAsync(DueEntry entry, UnitTree tree, Dictionary<DirectiveId, Directive?> cache, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = entry.Key;
        if (!cache.TryGetValue(key.DirectiveId, out var directive))
        {
            cache[key.DirectiveId] = directive = await directives.GetAsync(key.DirectiveId, cancellationToken);
        }

        var task = directive?.FindTask(key.TaskId);
        var unit = tree.Find(key.UnitId);
        if (directive is null || task is null || unit is null)
        {
            await store.RescheduleAsync(entry, null, cancellationToken);
            return null;
        }

        var versions = await submissions.ListAsync(key.DirectiveId, key.UnitId, cancellationToken);
        var standing = AssignmentStanding.Evaluate(task.Deadline, versions.Where(v => v.TaskId == key.TaskId), now);
        var completed = standing.State is AssignmentState.SubmittedOnTime or AssignmentState.SubmittedLate;
        var ladder = await store.LadderAsync(key, cancellationToken);
        var decision = Ladder.Decide(policy, task.Deadline, completed, ladder.Value.Recorded, now);
        if (!decision.HasWork)
        {
            await store.RescheduleAsync(entry, decision.NextDueAt, cancellationToken);
            return null;
        }

        var chain = tree.ChainUpward(key.UnitId);
        var link = links.UrlFor(directive, key.UnitId);
        var entries = decision.Send.Select(step =>
        {
            var recipients = Ladder.RecipientsFor(step, unit, chain, office);
            return new OutboxEntry
            {
                Id = key.NotificationId(step),
                Scope = key.DirectiveId.Value,
                Step = step.Name,
                TaskId = key.TaskId.Value,
                UnitId = key.UnitId.Value,
                To = recipients.To,
                Cc = recipients.Cc,
                Content = Emails.ForStep(step, directive, task, unit, chain, now, link),
                CreatedAt = now,
            };
        }).ToList();
        var steps = decision.Send.Concat(decision.Skip).Select(s => s.Name).ToList();
        var written = await store.RecordAsync(ladder, steps, entries, decision.NextDueAt, entry, cancellationToken);
        if (written.IsSuccess)
        {
            await trail.AppendAsync(
                new AuditEvent
                {
                    At = now,
                    Actor = AuditActor.System,
                    Action = AuditAction.EscalationDecided,
                    DirectiveId = key.DirectiveId.Value,
                    UnitId = key.UnitId.Value,
                    Subject = key.TaskId.Value,
                    Summary = string.Join("; ", decision.Send.Select(s => s.DisplayName).Concat(decision.Skip.Select(s => s.DisplayName + " (bỏ qua: đã có bước sau)"))),
                },
                cancellationToken);
        }

        return written.IsSuccess;
    }

    private async Task<bool> DecideDigestAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = VietnamTime.DateOf(now);
        if (now < policy.DigestAt(today) || office.Office is not { } officeAddress)
        {
            return false;
        }

        var id = $"digest-{today:yyyy-MM-dd}";
        if ((await store.OutboxAsync(OutboxEntry.OfficeScope, cancellationToken)).Any(e => e.Id == id))
        {
            return false;
        }

        var tree = await units.TreeAsync(cancellationToken);
        var lines = new List<DigestLine>();
        foreach (var directive in await directives.ListAsync(cancellationToken))
        {
            if (directive.Tasks.All(t => !t.Deadline.HasPassed(now)))
            {
                continue;
            }

            var full = await directives.GetAsync(directive.Id, cancellationToken);
            var versions = (await submissions.ListAsync(directive.Id, null, cancellationToken)).ToLookup(v => (v.TaskId, v.UnitId));
            foreach (var task in full?.Tasks.Where(t => t.Deadline.HasPassed(now)) ?? [])
            {
                foreach (var unitId in task.Units)
                {
                    var standing = AssignmentStanding.Evaluate(task.Deadline, versions[(task.Id, unitId)], now);
                    if (standing.State is AssignmentState.Overdue or AssignmentState.SubmittedLate)
                    {
                        lines.Add(new DigestLine(directive, task, tree.Find(unitId), unitId, standing.State == AssignmentState.Overdue, standing.DaysOverdue, tree.ChainUpward(unitId).IsBroken));
                    }
                }
            }
        }

        if (lines.Count == 0)
        {
            return false; // nothing overdue or late today: no email to read
        }

        var entry = new OutboxEntry
        {
            Id = id,
            Scope = OutboxEntry.OfficeScope,
            Step = "digest",
            To = [officeAddress],
            Content = Emails.Digest(today, lines),
            CreatedAt = now,
        };
        return await store.AddOfficeEntryAsync(entry, cancellationToken);
    }
}
