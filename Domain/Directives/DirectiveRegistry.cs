using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Links;
using ServerlessWorkflow.Domain.Progress;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// Storage of directives. A directive is written once, in stages that <see cref="RegistrationDesk"/>
/// orders around the deadline check's index: <see cref="BeginAsync"/> (a note that a registration is
/// under way, and the assignments — nothing anyone reads yet), <see cref="PublishAsync"/> (the
/// header that makes it exist for its board, its units' links and the check, then the office's
/// list), <see cref="FinishAsync"/> (the note removed). <see cref="CreateAsync"/> does the three at
/// once, without the index (tests and tools). The office's edits go through
/// <see cref="IDirectiveEditStore"/>. A read may come from a copy kept in memory for a short while.
/// </summary>
public interface IDirectiveStore
{
    Task CreateAsync(Directive directive, CancellationToken cancellationToken);

    /// <summary>Notes the registration under way (<paramref name="pending"/>) and writes the assignments; the directive does not exist for any reader yet. Repeatable.</summary>
    Task BeginAsync(PendingRegistration pending, Directive directive, CancellationToken cancellationToken);

    /// <summary>Writes the header (from then on the directive exists: its board, its units' links, the deadline check), then its line in the office's list. Repeatable.</summary>
    Task PublishAsync(Directive directive, CancellationToken cancellationToken);

    /// <summary>Removes the note of a registration under way — only the note read at <paramref name="readAt"/> when given (one written since by a retry stays).</summary>
    Task FinishAsync(DirectiveId id, StoredVersion? readAt, CancellationToken cancellationToken);

    /// <summary>The note of the registration of <paramref name="id"/> if it has not finished.</summary>
    Task<Versioned<PendingRegistration>?> PendingAsync(DirectiveId id, CancellationToken cancellationToken);

    /// <summary>Every registration not finished (one small partition, never a scan), oldest first.</summary>
    Task<IReadOnlyList<Versioned<PendingRegistration>>> UnfinishedAsync(CancellationToken cancellationToken);

    Task<Directive?> GetAsync(DirectiveId id, CancellationToken cancellationToken);

    /// <summary>The directive at <paramref name="revision"/> or later: a copy kept in memory from before that revision (an edit saved elsewhere) is read again.</summary>
    Task<Directive?> GetAsync(DirectiveId id, int revision, CancellationToken cancellationToken);

    Task<IReadOnlyList<Directive>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A unit's link for a directive.</summary>
public sealed record IssuedLink(UnitId UnitId, string Token);

/// <summary>
/// Told of each registration: before the directive is stored (to leave what a repair needs, should
/// the process stop part-way) and after (to tell its units). <see cref="Escalation.UnitNotices"/> is the one.
/// </summary>
public interface IRegistrationListener
{
    Task RegisteringAsync(Directive directive, CancellationToken cancellationToken);

    Task RegisteredAsync(Directive directive, CancellationToken cancellationToken);
}

/// <summary>A registered directive with one link per assigned unit, the calendar its deadlines in working days were counted with, and what the office should know about it.</summary>
public sealed record Registered(Directive Directive, IReadOnlyList<IssuedLink> Links, WorkingCalendar Calendar)
{
    public IReadOnlyList<RegistrationWarning> Warnings { get; init; } = [];
}

/// <summary>One unit's standing on one task.</summary>
public sealed record AssignmentView(DirectiveTask Task, Unit? Unit, UnitId UnitId, AssignmentStanding Standing);

/// <summary>A directive as the office follows it: every task × unit with its standing now, days overdue counted as <see cref="Days"/> says, with the calendar its deadlines were counted with.</summary>
public sealed record DirectiveView(Directive Directive, IReadOnlyList<AssignmentView> Assignments, DayCount Days)
{
    public WorkingCalendar Calendar => Days.Calendar;
}

/// <summary>
/// Registers directives and answers where each unit stands. Links expire <see cref="LinkLifetime"/>
/// after the last deadline. Deadlines in working days are counted with the calendar in force
/// (<see cref="ICalendarSource"/>), and so are days overdue when the office counts them in working days.
/// </summary>
public sealed class DirectiveRegistry(
    IDirectiveStore directives,
    ISubmissionStore submissions,
    UnitRegistry units,
    UnitLinkSigner links,
    IEscalationStore escalations,
    DueRule rule,
    ProgressProjector progress,
    ICalendarSource calendars,
    TimeProvider time) : IUnitLinks, ICalendarChangeListener
{
    public TimeSpan LinkLifetime { get; init; } = UnitLinkSigner.DefaultLifetimeAfterLastDeadline;

    /// <summary>The report templates statistics tasks may name (643's alone when not set).</summary>
    public Statistics.ReportTemplates? Templates { get; init; }

    /// <summary>Told of each registration (the units' notices); none: nobody.</summary>
    public IRegistrationListener? Listener { get; init; }

    /// <summary>Just before a registration makes its directive visible: the units' notices expect it (<see cref="IRegistrationListener.RegisteringAsync"/>).</summary>
    public Task RegisteringAsync(Directive directive, CancellationToken cancellationToken) =>
        Listener?.RegisteringAsync(directive, cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// Once a registration's directive is visible: the office's read models count it (a crash before
    /// leaves a directive without complete counts, which the pages compute from its versions until the
    /// repair sweep builds them), then its units are told (<see cref="IRegistrationListener.RegisteredAsync"/>).
    /// </summary>
    public async Task RegisteredAsync(Directive directive, CancellationToken cancellationToken)
    {
        await progress.RegisteredAsync(directive, cancellationToken);
        if (Listener is { } listener)
        {
            await listener.RegisteredAsync(directive, cancellationToken);
        }
    }

    /// <summary>
    /// The deadline check's index entries of <paramref name="directive"/>: each assignment at the
    /// ladder's first step for its deadline. Repeatable (an entry written twice is one entry; one
    /// that finds nothing to do is dropped by the check). A task the office chose not to remind
    /// about ("không nhắc"), or without a deadline, is never looked at by the timer. Registration writes them before the
    /// directive's header (<see cref="RegistrationDesk"/>).
    /// </summary>
    public Task IndexAsync(Directive directive, WorkingCalendar calendar, CancellationToken cancellationToken)
    {
        var firstStep = rule.Policy.Steps.First();
        var counted = RuleWith(calendar);
        return escalations.ScheduleAsync(
            directive.Tasks.Where(t => t.Escalates).SelectMany(t => t.Units.Select(u => new DueEntry(new AssignmentKey(directive.Id, t.Id, u), counted.ScheduledAt(firstStep, t.Due)))),
            cancellationToken);
    }

    /// <summary>What registering <paramref name="directive"/> gives the office: one link per unit, the calendar, and the warnings about its units (<see cref="DirectiveRegistration.Warnings"/>).</summary>
    public Registered Describe(Directive directive, WorkingCalendar calendar, UnitTree tree) =>
        new(directive, LinksFor(directive), calendar) { Warnings = DirectiveRegistration.Warnings(directive, tree) };

    /// <summary>The directive the input would register (nothing stored), with the unit tree it was checked against.</summary>
    public async Task<(Result<Directive> Directive, UnitTree Tree)> CheckAsync(DirectiveInput input, WorkingCalendar calendar, CancellationToken cancellationToken)
    {
        var tree = await units.TreeAsync(cancellationToken);
        return (DirectiveRegistration.Register(input, tree, DirectiveId.New(), time.GetUtcNow(), calendar, await TemplatesForAsync(input.Tasks, cancellationToken)), tree);
    }

    /// <summary>The report templates <paramref name="tasks"/> name (643's and the office's own files), read once, for the registration's rules.</summary>
    public async Task<Func<Statistics.TemplateId, Statistics.ReportTemplate?>> TemplatesForAsync(IEnumerable<TaskInput?>? tasks, CancellationToken cancellationToken)
    {
        var templates = new Dictionary<Statistics.TemplateId, Statistics.ReportTemplate>();
        foreach (var text in (tasks ?? []).Select(t => t?.Statistics?.Template).Distinct())
        {
            if (Statistics.TemplateId.Parse(text?.Trim()) is { IsSuccess: true } id && !id.Value.IsBuiltIn && Templates is not null
                && await Templates.GetAsync(id.Value, cancellationToken) is { } template)
            {
                templates[id.Value] = template;
            }
        }

        return t => t.IsBuiltIn ? Statistics.ReportTemplate.Official643 : templates.GetValueOrDefault(t);
    }

    /// <summary>
    /// One signed link per assigned unit, valid until <see cref="LinkLifetime"/> after the last
    /// deadline — or after registration, for a directive registered once its deadlines had passed,
    /// so late units can still report.
    /// </summary>
    public IReadOnlyList<IssuedLink> LinksFor(Directive directive) =>
        directive.AssignedUnits.Select(u => LinkFor(directive, u)).ToList();

    /// <summary>One unit's link (see <see cref="LinksFor(Directive)"/>).</summary>
    public IssuedLink LinkFor(Directive directive, UnitId unit) => new(unit, TokenFor(directive, unit));

    /// <summary>One unit's link at its version in <paramref name="versions"/> (the first when absent).</summary>
    public IssuedLink LinkFor(Directive directive, UnitId unit, IReadOnlyDictionary<UnitId, int> versions) =>
        new(unit, TokenFor(directive, unit, versions.GetValueOrDefault(unit, UnitLink.FirstVersion)));

    /// <summary>One signed link per assigned unit, each of the unit's version in <paramref name="versions"/> (the first when absent).</summary>
    public IReadOnlyList<IssuedLink> LinksFor(Directive directive, IReadOnlyDictionary<UnitId, int> versions) =>
        directive.AssignedUnits.Select(u => LinkFor(directive, u, versions)).ToList();

    /// <summary>The path of a unit's page, for emails (the host part is the caller's).</summary>
    public string UrlFor(Directive directive, UnitId unit) => BaseUrl.TrimEnd('/') + "/u/" + TokenFor(directive, unit);

    /// <summary>The unit's link of version <paramref name="linkVersion"/>, for emails.</summary>
    public string UrlFor(Directive directive, UnitId unit, int linkVersion) => BaseUrl.TrimEnd('/') + "/u/" + TokenFor(directive, unit, linkVersion);

    /// <summary>Where links in emails point (no request to take it from when the timer runs).</summary>
    public string BaseUrl { get; init; } = "http://localhost:7071";

    /// <summary>What the ladder will send for <paramref name="task"/> if its units never report, from <paramref name="registeredAt"/>; nothing for a task with "không nhắc", without a deadline or cancelled.</summary>
    public IReadOnlyList<ForecastStep> Forecast(DirectiveTask task, DateTimeOffset registeredAt, WorkingCalendar calendar) =>
        task.Escalates ? Ladder.Forecast(RuleWith(calendar), task.Deadline!.Value, registeredAt) : [];

    /// <summary>The ladder's rule counting with <paramref name="calendar"/>, in the days the office chose (<see cref="ICalendarSource.CountDaysIn"/>).</summary>
    public DueRule RuleWith(WorkingCalendar calendar) => rule.With(new DayCount(calendars.CountDaysIn, calendar));

    /// <summary>Whether the directive is still followed: its links still work (<see cref="Directive.FollowedUntil"/>).</summary>
    public bool IsOpen(Directive directive, DateTimeOffset now) => now < directive.FollowedUntil(LinkLifetime);

    private string TokenFor(Directive directive, UnitId unit, int linkVersion = UnitLink.FirstVersion) =>
        links.Sign(new UnitLink(directive.Id, unit, directive.FollowedUntil(LinkLifetime)) { Version = linkVersion });

    public async Task<Result<DirectiveView>> ViewAsync(string? id, CancellationToken cancellationToken)
    {
        var directiveId = DirectiveId.Parse(id);
        if (!directiveId.IsSuccess || await directives.GetAsync(directiveId.Value, cancellationToken) is not { } directive)
        {
            return Error.NotFound("directive-not-found", "Không tìm thấy công văn.");
        }

        var tree = await units.TreeAsync(cancellationToken);
        var versions = (await submissions.ListAsync(directive.Id, null, cancellationToken)).ToLookup(v => (v.TaskId, v.UnitId));
        var now = time.GetUtcNow();
        var overdue = await calendars.DayCountAsync(cancellationToken);
        directive = directive.WithDeadlinesFrom(overdue.Calendar);
        var assignments = directive.Tasks
            .SelectMany(t => t.Units.Select(u => new AssignmentView(t, tree.Find(u), u, AssignmentStanding.Evaluate(t.Deadline, versions[(t.Id, u)], now, overdue))))
            .ToList();
        return new DirectiveView(directive, assignments, overdue);
    }

    /// <summary>
    /// After a change of the calendar: a deadline in working days that moved EARLIER (a day off made a
    /// working day) may now be due before the deadline check's index expects it, so each of its
    /// assignments gets an index entry at the ladder's first step for the new deadline (an entry that
    /// finds nothing to do is dropped by the check). A deadline that moved later needs nothing: the
    /// entries it has come early and are put off by the check. Deadlines already passed never move
    /// (the past days of the calendar cannot change).
    /// </summary>
    public async Task CalendarChangedAsync(WorkingCalendar before, WorkingCalendar after, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var firstStep = rule.Policy.Steps.First();
        foreach (var header in await directives.ListAsync(cancellationToken))
        {
            var moved = header.Tasks.Where(t => t.Term is { } term && !term.DeadlineIn(before).HasPassed(now) && term.DeadlineIn(after) < term.DeadlineIn(before)).Select(t => t.Id).ToHashSet();
            if (moved.Count == 0 || await directives.GetAsync(header.Id, cancellationToken) is not { } directive)
            {
                continue;
            }

            await escalations.ScheduleAsync(
                directive.Tasks.Where(t => moved.Contains(t.Id)).SelectMany(t => t.Units.Select(u =>
                    new DueEntry(new AssignmentKey(directive.Id, t.Id, u), RuleWith(after).ScheduledAt(firstStep, t.Term!.DeadlineIn(after))))),
                cancellationToken);
        }
    }
}
