using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Links;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>Storage of directives. A directive is written once, whole.</summary>
public interface IDirectiveStore
{
    Task CreateAsync(Directive directive, CancellationToken cancellationToken);

    Task<Directive?> GetAsync(DirectiveId id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Directive>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A unit's link for a directive.</summary>
public sealed record IssuedLink(UnitId UnitId, string Token);

/// <summary>A registered directive with one link per assigned unit, and what the office should know about it.</summary>
public sealed record Registered(Directive Directive, IReadOnlyList<IssuedLink> Links)
{
    public IReadOnlyList<RegistrationWarning> Warnings { get; init; } = [];
}

/// <summary>One unit's standing on one task.</summary>
public sealed record AssignmentView(DirectiveTask Task, Unit? Unit, UnitId UnitId, AssignmentStanding Standing);

/// <summary>A directive as the office follows it: every task × unit with its standing now.</summary>
public sealed record DirectiveView(Directive Directive, IReadOnlyList<AssignmentView> Assignments);

/// <summary>Registers directives and answers where each unit stands. Links expire <see cref="LinkLifetime"/> after the last deadline.</summary>
public sealed class DirectiveRegistry(
    IDirectiveStore directives,
    ISubmissionStore submissions,
    UnitRegistry units,
    UnitLinkSigner links,
    IEscalationStore escalations,
    EscalationPolicy policy,
    TimeProvider time) : IUnitLinks
{
    public TimeSpan LinkLifetime { get; init; } = UnitLinkSigner.DefaultLifetimeAfterLastDeadline;

    /// <summary>The report templates statistics tasks may name (643's alone when not set).</summary>
    public Statistics.ReportTemplates? Templates { get; init; }

    public async Task<Result<Registered>> RegisterAsync(DirectiveInput input, CancellationToken cancellationToken)
    {
        var (directive, tree) = await CheckAsync(input, cancellationToken);
        if (!directive.IsSuccess)
        {
            return directive.Error!;
        }

        // Assignment rows first, then the index by due time, then the header that makes the directive exist:
        // a crash part-way leaves at worst index entries the deadline check drops as unknown.
        await directives.CreateAsync(directive.Value, cancellationToken);
        var firstStep = policy.Steps.First();
        await escalations.ScheduleAsync(
            directive.Value.Tasks.SelectMany(t => t.Units.Select(u => new DueEntry(new AssignmentKey(directive.Value.Id, t.Id, u), policy.DueAt(firstStep, t.Deadline)))),
            cancellationToken);
        return new Registered(directive.Value, LinksFor(directive.Value)) { Warnings = DirectiveRegistration.Warnings(directive.Value, tree) };
    }

    /// <summary>The directive the input would register (nothing stored), with the unit tree it was checked against.</summary>
    public async Task<(Result<Directive> Directive, UnitTree Tree)> CheckAsync(DirectiveInput input, CancellationToken cancellationToken)
    {
        var tree = await units.TreeAsync(cancellationToken);
        var templates = new Dictionary<Statistics.TemplateId, Statistics.ReportTemplate>();
        foreach (var text in (input.Tasks ?? []).Select(t => t?.Statistics?.Template).Distinct())
        {
            if (Statistics.TemplateId.Parse(text?.Trim()) is { IsSuccess: true } id && !id.Value.IsBuiltIn && Templates is not null
                && await Templates.GetAsync(id.Value, cancellationToken) is { } template)
            {
                templates[id.Value] = template;
            }
        }

        return (DirectiveRegistration.Register(input, tree, DirectiveId.New(), time.GetUtcNow(), t => t.IsBuiltIn ? Statistics.ReportTemplate.Official643 : templates.GetValueOrDefault(t)), tree);
    }

    /// <summary>
    /// One signed link per assigned unit, valid until <see cref="LinkLifetime"/> after the last
    /// deadline — or after registration, for a directive registered once its deadlines had passed,
    /// so late units can still report.
    /// </summary>
    public IReadOnlyList<IssuedLink> LinksFor(Directive directive) =>
        directive.AssignedUnits.Select(u => new IssuedLink(u, TokenFor(directive, u))).ToList();

    /// <summary>The path of a unit's page, for emails (the host part is the caller's).</summary>
    public string UrlFor(Directive directive, UnitId unit) => BaseUrl.TrimEnd('/') + "/u/" + TokenFor(directive, unit);

    /// <summary>Where links in emails point (no request to take it from when the timer runs).</summary>
    public string BaseUrl { get; init; } = "http://localhost:7071";

    private string TokenFor(Directive directive, UnitId unit)
    {
        var from = directive.LastDeadline.PassesAt > directive.RegisteredAt ? directive.LastDeadline.PassesAt : directive.RegisteredAt;
        return links.Sign(new UnitLink(directive.Id, unit, from + LinkLifetime));
    }

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
        var assignments = directive.Tasks
            .SelectMany(t => t.Units.Select(u => new AssignmentView(t, tree.Find(u), u, AssignmentStanding.Evaluate(t.Deadline, versions[(t.Id, u)], now))))
            .ToList();
        return new DirectiveView(directive, assignments);
    }
}
