using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>What one deadline check decided.</summary>
public sealed record CheckReport(int Examined, int Recorded, int Lost, bool DigestAdded);

/// <summary>Makes the signed link a unit's email points to, and says how long a directive's links live.</summary>
public interface IUnitLinks
{
    string UrlFor(Directive directive, UnitId unit);

    /// <summary>The unit's link of version <paramref name="linkVersion"/> (raised each time the office reissues the unit's link).</summary>
    string UrlFor(Directive directive, UnitId unit, int linkVersion);

    /// <summary>Whether the directive is still followed at <paramref name="now"/>: its links still work (<see cref="Directive.FollowedUntil"/>).</summary>
    bool IsOpen(Directive directive, DateTimeOffset now);
}

/// <summary>
/// One assignment the index brought to a plan: the ladder as read, what the rule decided, whether
/// its step had nobody to go to, and further index entries of the same assignment (left by a crash
/// between writing a hint and removing the old one), which the run removes.
/// </summary>
public sealed record PlannedLadder(DueEntry Due, Versioned<LadderState> Ladder, LadderDecision Decision, bool Unreachable, IReadOnlyList<DueEntry> Extra)
{
    public AssignmentKey Key => Due.Key;
}

/// <summary>An email a plan decides: the outbox entry and the directive it speaks of.</summary>
public sealed record DecidedEmail(OutboxEntry Entry, Directive Directive, IReadOnlyList<EmailLine> Lines);

/// <summary>
/// What a deadline check at <see cref="At"/> decides: each assignment's ladder, the emails (one per
/// directive, step and audience: a unit's tasks, a parent's late sub-units, a directive's late units
/// for the committees), and the office's digest. The run records it; the office's preview shows it.
/// </summary>
public sealed record EscalationPlan(DateTimeOffset At, IReadOnlyList<PlannedLadder> Ladders, IReadOnlyList<DecidedEmail> Emails, OutboxEntry? Digest)
{
    /// <summary>Every email the plan decides, the digest last.</summary>
    public IEnumerable<OutboxEntry> AllEmails => Emails.Select(e => e.Entry).Concat(Digest is null ? [] : [Digest]);

    /// <summary>Steps that came due with nobody to send them to (recorded as skipped).</summary>
    public IEnumerable<(AssignmentKey Key, LadderStep Step)> Unreachable =>
        Ladders.Where(l => l.Unreachable && l.Decision.Skip.Count > 0).Select(l => (l.Key, l.Decision.Skip[^1]));
}

/// <summary>
/// The deadline check: reads only the assignments the index says are due (of directives still
/// followed: <see cref="IUnitLinks.IsOpen"/>, whose units can still report), decides their ladder by
/// <see cref="DueRule"/> from stored state and the moment asked — never from when the timer last ran
/// — and groups the steps into emails. <see cref="PlanAsync"/> decides without writing: the office's
/// preview calls it at the next run's fire time, the run at its own moment, so the preview shows
/// what the run will send. <see cref="RunAsync"/> records each email with the ladders it carries
/// atomically; sending is separate (the outbox sender), so a crash here loses nothing.
/// </summary>
public sealed class DeadlineCheck(
    IEscalationStore store,
    IDirectiveStore directives,
    ISubmissionStore submissions,
    UnitRegistry units,
    IUnitLinks links,
    DueRule rule,
    ICalendarSource calendars,
    OfficeAddresses office,
    IAuditTrail trail,
    TimeProvider time,
    IDirectiveStateStore states)
{
    public const int MaxPerRun = 2000;

    /// <summary>The ladder's rule with the working-day calendar in force and the office's way of counting days (<see cref="DueRule.With"/>).</summary>
    public async Task<DueRule> RuleAsync(CancellationToken cancellationToken) => rule.With(await calendars.DayCountAsync(cancellationToken));

    /// <summary>One run: decides what is due now and records it.</summary>
    public async Task<CheckReport> RunAsync(CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(time.GetUtcNow(), cancellationToken);
        var byKey = plan.Ladders.ToDictionary(l => l.Key);
        int recorded = 0, lost = 0;
        foreach (var email in plan.Emails)
        {
            var changes = email.Entry.Assignments.Select(key => Change(byKey[key], email.Entry.Id, plan.At)).ToList();
            var written = await store.RecordAsync(changes, email.Entry, cancellationToken);
            Count(written, changes.Count, ref recorded, ref lost);
            await AuditAsync(written, email.Entry.Assignments.Select(key => byKey[key]), plan.At, cancellationToken);
        }

        var carried = plan.Emails.SelectMany(e => e.Entry.Assignments).ToHashSet();
        foreach (var ladder in plan.Ladders)
        {
            if (carried.Contains(ladder.Key))
            {
                // recorded with its email above
            }
            else if (ladder.Decision.HasWork)
            {
                var written = await store.RecordAsync([Change(ladder, null, plan.At)], null, cancellationToken);
                Count(written, 1, ref recorded, ref lost);
                await AuditAsync(written, [ladder], plan.At, cancellationToken);
            }
            else
            {
                await store.RescheduleAsync(ladder.Due, ladder.Decision.NextDueAt, cancellationToken);
            }

            foreach (var extra in ladder.Extra)
            {
                await store.RescheduleAsync(extra, null, cancellationToken);
            }
        }

        var digest = plan.Digest is { } entry && await store.AddOfficeEntryAsync(entry, cancellationToken);
        return new CheckReport(plan.Ladders.Count, recorded, lost, digest);
    }

    /// <summary>What a run at <paramref name="at"/> decides, without writing anything.</summary>
    public async Task<EscalationPlan> PlanAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var counted = await RuleAsync(cancellationToken);
        var due = await store.DueAsync(at, MaxPerRun, cancellationToken);
        var tree = due.Count > 0 ? await units.TreeAsync(cancellationToken) : new UnitTree([]);
        var context = new Reads(store, directives, submissions, states, cancellationToken);
        var ladders = new List<PlannedLadder>();
        var sends = new List<(PlannedLadder Ladder, Directive Directive, DirectiveTask Task, LadderStep Step)>();
        foreach (var entries in due.GroupBy(e => e.Key))
        {
            var entry = entries.First();
            var extra = entries.Skip(1).ToList();
            var key = entry.Key;
            var directive = await context.DirectiveAsync(key.DirectiveId);
            var task = directive?.FindTask(key.TaskId);
            // A directive the office closed, a task without a deadline, cancelled or "không nhắc", a unit taken off
            // the task: its entries are dropped as met (nothing more is sent about it).
            if (directive is null || task is null || !task.Escalates || !task.Units.Contains(key.UnitId) || tree.Find(key.UnitId) is null || !links.IsOpen(directive, at)
                || await context.ClosedAsync(directive.Id))
            {
                ladders.Add(new PlannedLadder(entry, new(LadderState.Empty(key), null), LadderDecision.Nothing, false, extra));
                continue;
            }

            var completed = await context.CompletedAsync(directive, task, key.UnitId, at);
            var read = await store.LadderAsync(key, cancellationToken);
            var previous = completed ? PreviousStep.None : await context.PreviousAsync(read.Value);
            var decision = Ladder.Decide(counted, task.Due, read.Value, previous, completed, at);
            var unreachable = false;
            if (decision.Send is { } step && !Addressing.Resolve(Addressing.AudienceOf(step, key.UnitId, tree), tree, office).HasAnyone)
            {
                decision = decision with { Send = null, Skip = [.. decision.Skip, step] };
                unreachable = true;
            }

            var planned = new PlannedLadder(entry, read, decision, unreachable, extra);
            ladders.Add(planned);
            if (decision.Send is { } send)
            {
                sends.Add((planned, directive, task, send));
            }
        }

        // A unit's own emails carry its link in force (the office may have reissued it).
        var versions = new Dictionary<(DirectiveId, UnitId), int>();
        foreach (var (directiveId, unitId) in sends.Select(s => (s.Directive.Id, s.Ladder.Key.UnitId)).Distinct())
        {
            versions[(directiveId, unitId)] = await states.LinkVersionAsync(directiveId, unitId, cancellationToken);
        }

        var emails = sends
            .GroupBy(s => (s.Directive.Id, s.Step, Audience: Addressing.AudienceOf(s.Step, s.Ladder.Key.UnitId, tree)))
            .SelectMany(g => g.OrderBy(s => s.Task.Id.Value, StringComparer.Ordinal).ThenBy(s => tree.Find(s.Ladder.Key.UnitId)?.Name ?? s.Ladder.Key.UnitId.Value, VietnameseCollation.Instance)
                .Chunk(IEscalationStore.MaxLaddersPerRecording)
                .Select(chunk => Compose(counted, g.Key.Step, g.Key.Audience, chunk[0].Directive, [.. chunk.Select(c => (c.Ladder.Key, c.Task))], tree, at, versions.GetValueOrDefault((chunk[0].Directive.Id, chunk[0].Ladder.Key.UnitId), Links.UnitLink.FirstVersion))))
            .ToList();
        return new EscalationPlan(at, ladders, emails, await PlanDigestAsync(counted, at, context, cancellationToken));
    }

    /// <summary>
    /// Whether a pending email still makes sense at <paramref name="now"/>: not when it is a reminder
    /// whose moment has passed, nor when the office has closed its directive (read at the moment of
    /// sending: a run that raced the close sends nothing after it), nor — for a ladder step — when
    /// every unit it speaks of has completed its task meanwhile.
    /// </summary>
    public async Task<OutboxNote?> ObsoleteAsync(OutboxEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (entry.ExpiresAt is { } expires && now >= expires)
        {
            return OutboxNote.Expired;
        }

        if (DirectiveId.Parse(entry.Scope) is { IsSuccess: true } scope && await states.ClosureAsync(scope.Value, cancellationToken) is not null)
        {
            return OutboxNote.Closed;
        }

        if (entry.Assignments.Count == 0 || NoticeSteps.IsNotice(entry.Step) || await directives.GetAsync(entry.Assignments[0].DirectiveId, cancellationToken) is not { } directive)
        {
            return null;
        }

        var context = new Reads(store, directives, submissions, states, cancellationToken);
        foreach (var key in entry.Assignments)
        {
            if (directive.FindTask(key.TaskId) is not { } task || !await context.CompletedAsync(directive, task, key.UnitId, now))
            {
                return null;
            }
        }

        return OutboxNote.Completed;
    }

    /// <summary>The email of <paramref name="step"/> for <paramref name="assignments"/> of <paramref name="directive"/>, meant for <paramref name="audience"/>, addressed as the tree and settings say now.</summary>
    internal DecidedEmail Compose(DueRule counted, LadderStep step, Audience audience, Directive directive, IReadOnlyList<(AssignmentKey Key, DirectiveTask Task)> assignments, UnitTree tree, DateTimeOffset at, int linkVersion = Links.UnitLink.FirstVersion)
    {
        var recipients = Addressing.Resolve(audience, tree, office);
        var keys = assignments.Select(a => a.Key).ToList();
        var lines = assignments.Select(a => new EmailLine(a.Task, a.Key.UnitId, tree.Find(a.Key.UnitId), tree.ChainUpward(a.Key.UnitId).IsBroken)).ToList();
        var link = audience.Kind == AudienceKind.Unit ? links.UrlFor(directive, keys[0].UnitId, linkVersion) : null;
        var entry = new OutboxEntry
        {
            Id = AssignmentKey.Revised(AssignmentKey.NotificationId(step, audience, keys), assignments.Max(a => a.Task.Extensions)),
            Scope = directive.Id.Value,
            Step = step.Name,
            Assignments = keys,
            Audience = audience,
            To = recipients.To,
            Cc = recipients.Cc,
            Content = Emails.For(step, directive, lines, recipients, at, link, counted.Days),
            CreatedAt = at,
            ExpiresAt = step.Rung == Rung.Reminder ? assignments.Min(a => counted.ReminderWindowEnds(step, a.Task.Due)) : null,
        };
        return new DecidedEmail(entry, directive, lines);
    }

    private static LadderChange Change(PlannedLadder ladder, string? emailId, DateTimeOffset at) =>
        new(ladder.Ladder, ladder.Ladder.Value.With(ladder.Decision.Skip, ladder.Decision.Send, emailId, at, ladder.Unreachable ? ladder.Decision.Skip[^1] : null), ladder.Decision.NextDueAt, ladder.Due);

    /// <summary>
    /// Appends each decision this run recorded to the audit trail — once: a run that lost the race to
    /// record it (a concurrent run did) appends nothing.
    /// </summary>
    private async Task AuditAsync(Result<bool> written, IEnumerable<PlannedLadder> ladders, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!written.IsSuccess)
        {
            return;
        }

        foreach (var ladder in ladders)
        {
            var (key, decision) = (ladder.Key, ladder.Decision);
            await trail.AppendAsync(
                new AuditEvent
                {
                    At = at,
                    Actor = AuditActor.System,
                    Action = AuditAction.EscalationDecided,
                    DirectiveId = key.DirectiveId.Value,
                    UnitId = key.UnitId.Value,
                    Subject = key.TaskId.Value,
                    Summary = string.Join("; ", (decision.Send is { } send ? [send.DisplayName] : Array.Empty<string>())
                        .Concat(decision.Skip.Select(s => s.DisplayName + (ladder.Unreachable ? " (không gửi: không có ai để gửi)" : " (bỏ qua)")))),
                },
                cancellationToken);
        }
    }

    private static void Count(Result<bool> written, int ladders, ref int recorded, ref int lost)
    {
        if (written.IsSuccess)
        {
            recorded += ladders;
        }
        else
        {
            lost += ladders;
        }
    }

    /// <summary>The office's digest for the Vietnam day of <paramref name="at"/>, once its moment has come, when something is overdue or late in a directive still followed (not closed); none otherwise or when already decided.</summary>
    private async Task<OutboxEntry?> PlanDigestAsync(DueRule counted, DateTimeOffset at, Reads context, CancellationToken cancellationToken)
    {
        var today = VietnamTime.DateOf(at);
        var id = $"digest-{today:yyyy-MM-dd}";
        if (at < counted.DigestAt(today) || office.Office is not { } officeAddress
            || await store.EmailAsync(OutboxEntry.OfficeScope, id, cancellationToken) is not null)
        {
            return null;
        }

        var tree = await units.TreeAsync(cancellationToken);
        var lines = new List<DigestLine>();
        var closed = await states.ClosuresAsync(cancellationToken);
        foreach (var listed in await directives.ListAsync(cancellationToken))
        {
            if (!links.IsOpen(listed, at) || closed.ContainsKey(listed.Id) || listed.Tasks.All(t => !t.IsPastDeadline(at) || !t.Escalates)
                || await context.DirectiveAsync(listed.Id) is not { } directive)
            {
                continue;
            }

            var versions = (await submissions.ListAsync(directive.Id, null, cancellationToken)).ToLookup(v => (v.TaskId, v.UnitId));
            foreach (var task in directive.Tasks.Where(t => t.Escalates && t.IsPastDeadline(at)))
            {
                foreach (var unitId in task.Units)
                {
                    var standing = AssignmentStanding.Evaluate(task.Deadline, versions[(task.Id, unitId)], at, counted.Days);
                    if (standing.State is AssignmentState.Overdue or AssignmentState.SubmittedLate)
                    {
                        var reach = Addressing.Resolve(Audience.Unit(unitId), tree, office);
                        lines.Add(new DigestLine(directive, task, tree.Find(unitId), unitId, standing.State == AssignmentState.Overdue, standing.DaysOverdue, tree.ChainUpward(unitId).IsBroken, reach));
                    }
                }
            }
        }

        return lines.Count == 0
            ? null // nothing overdue or late today: no email to read
            : new OutboxEntry
            {
                Id = id,
                Scope = OutboxEntry.OfficeScope,
                Step = "digest",
                Audience = Audience.Office,
                To = [officeAddress],
                Content = Emails.Digest(today, lines, counted.Days),
                CreatedAt = at,
            };
    }

    /// <summary>What one plan reads, each once: directives, a unit's submissions, the emails that carried earlier steps.</summary>
    private sealed class Reads(IEscalationStore store, IDirectiveStore directives, ISubmissionStore submissions, IDirectiveStateStore states, CancellationToken cancellationToken)
    {
        private readonly Dictionary<DirectiveId, Directive?> _directives = [];
        private readonly Dictionary<DirectiveId, bool> _closed = [];

        /// <summary>Whether the office has closed the directive (read once per plan).</summary>
        public async Task<bool> ClosedAsync(DirectiveId id)
        {
            if (!_closed.TryGetValue(id, out var closed))
            {
                _closed[id] = closed = await states.ClosureAsync(id, cancellationToken) is not null;
            }

            return closed;
        }
        private readonly Dictionary<(DirectiveId, UnitId), IReadOnlyList<SubmissionVersion>> _versions = [];
        private readonly Dictionary<string, OutboxEntry?> _emails = new(StringComparer.Ordinal);

        public async Task<Directive?> DirectiveAsync(DirectiveId id)
        {
            if (!_directives.TryGetValue(id, out var directive))
            {
                _directives[id] = directive = await directives.GetAsync(id, cancellationToken);
            }

            return directive;
        }

        public async Task<bool> CompletedAsync(Directive directive, DirectiveTask task, UnitId unit, DateTimeOffset at)
        {
            if (!_versions.TryGetValue((directive.Id, unit), out var versions))
            {
                _versions[(directive.Id, unit)] = versions = await submissions.ListAsync(directive.Id, unit, cancellationToken);
            }

            return AssignmentStanding.Evaluate(task.Deadline, versions.Where(v => v.TaskId == task.Id), at).State
                is AssignmentState.SubmittedOnTime or AssignmentState.SubmittedLate;
        }

        /// <summary>When the email of the step the next one waits for went out (<see cref="Ladder.Awaited"/>).</summary>
        public async Task<PreviousStep> PreviousAsync(LadderState ladder)
        {
            if (Ladder.Awaited(ladder) is not { } awaited || !ladder.Marks.TryGetValue(awaited.Name, out var mark))
            {
                return PreviousStep.None;
            }

            if (mark.EmailId is { } id)
            {
                if (!_emails.TryGetValue(id, out var email))
                {
                    _emails[id] = email = (await store.EmailAsync(ladder.Key.DirectiveId.Value, id, cancellationToken))?.Value;
                }

                if (email is not null)
                {
                    return email.WentOutAt is { } wentOut ? PreviousStep.WentOut(wentOut) : PreviousStep.StillWaiting;
                }
            }

            return mark.At is { } at ? PreviousStep.WentOut(at) : PreviousStep.None;
        }
    }
}
