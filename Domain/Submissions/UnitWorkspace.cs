using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Links;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Submissions;

/// <summary>Storage of submission versions, keyed by their derived id so a repeated post cannot add a second row.</summary>
public interface ISubmissionStore
{
    /// <summary>Every version for the directive, or for one unit of it.</summary>
    Task<IReadOnlyList<SubmissionVersion>> ListAsync(DirectiveId directive, UnitId? unit, CancellationToken cancellationToken);

    /// <summary>The summary of one assignment's versions (<see cref="AssignmentSummary.None"/> before the first).</summary>
    Task<AssignmentSummary> SummaryAsync(DirectiveId directive, UnitId unit, TaskId task, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts the version if no version with its id exists, and keeps the assignment's summary in
    /// step in the same transaction (conditional on <paramref name="current"/>, the summary the
    /// caller just read, when given; read again when it has moved); returns the stored version
    /// either way, whether this call added it, and the summary after it.
    /// </summary>
    Task<(SubmissionVersion Stored, bool Added, AssignmentSummary Summary)> AddIfAbsentAsync(SubmissionVersion version, CancellationToken cancellationToken, AssignmentSummary? current = null);
}

/// <summary>A unit's link resolved to the task it posts to: no storage read beyond the (immutable) directive.</summary>
public sealed record UnitTask(Directive Directive, UnitId UnitId, DirectiveTask Task);

/// <summary>What a unit sees behind its link: the directive, its own tasks and their history.</summary>
public sealed record UnitTaskView(DirectiveTask Task, AssignmentStanding Standing, IReadOnlyList<SubmissionVersion> History);

public sealed record UnitWorkspaceView(Directive Directive, Unit? Unit, UnitId UnitId, IReadOnlyList<UnitTaskView> Tasks, DateTimeOffset Now);

/// <summary>The outcome of a submission: the version that counts for this post, and whether this post added it.</summary>
public sealed record SubmissionReceipt(SubmissionVersion Version, bool Added, AssignmentStanding Standing);

/// <summary>
/// A unit's side of a directive, reached through its signed link only: see its tasks and submit.
/// A wrong, tampered or expired link and a task not assigned to the unit all answer the same NotFound.
/// </summary>
public sealed class UnitWorkspace(
    IDirectiveStore directives,
    ISubmissionStore submissions,
    UnitRegistry units,
    UnitLinkSigner links,
    TimeProvider time)
{
    private static readonly Error NotFound = Error.NotFound("link-not-found", "Đường dẫn không đúng hoặc đã hết hạn.");

    public async Task<Result<UnitWorkspaceView>> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var link = links.Verify(token, now);
        if (!link.IsSuccess || await directives.GetAsync(link.Value.DirectiveId, cancellationToken) is not { } directive)
        {
            return NotFound;
        }

        var unitId = link.Value.UnitId;
        var mine = directive.Tasks.Where(t => t.Units.Contains(unitId)).ToList();
        if (mine.Count == 0)
        {
            return NotFound;
        }

        var versions = (await submissions.ListAsync(directive.Id, unitId, cancellationToken)).ToLookup(v => v.TaskId);
        var unit = await units.FindAsync(unitId, cancellationToken);
        var tasks = mine.Select(t =>
        {
            var history = versions[t.Id].OrderByDescending(v => v.At).ToList();
            return new UnitTaskView(t, AssignmentStanding.Evaluate(t.Deadline, history, now), history);
        }).ToList();
        return new UnitWorkspaceView(directive, unit, unitId, tasks, now);
    }

    /// <summary>
    /// The task <paramref name="taskId"/> behind link <paramref name="token"/>, if the link is valid
    /// and the task is the unit's: one read of the directive (which the store may cache: directives
    /// never change once registered), nothing else.
    /// </summary>
    public async Task<Result<UnitTask>> ResolveAsync(string? token, string? taskId, CancellationToken cancellationToken)
    {
        var link = links.Verify(token, time.GetUtcNow());
        if (!link.IsSuccess || await directives.GetAsync(link.Value.DirectiveId, cancellationToken) is not { } directive)
        {
            return NotFound;
        }

        var task = TaskId.Parse(taskId);
        var found = task.IsSuccess ? directive.Tasks.FirstOrDefault(t => t.Id == task.Value && t.Units.Contains(link.Value.UnitId)) : null;
        return found is null ? NotFound : new UnitTask(directive, link.Value.UnitId, found);
    }

    /// <summary>
    /// Stores a submission as a new version, unless it repeats one: the same <c>Idempotency-Key</c>,
    /// or the same content posted again within <see cref="SubmissionVersion.DuplicateWindow"/>.
    /// Reads only the assignment's summary (one point read) and writes the version with the new
    /// summary in one transaction: the cost does not grow with the unit's history.
    /// </summary>
    public async Task<Result<SubmissionReceipt>> SubmitAsync(
        UnitTask target, string? status, string? note, string? idempotencyKey, IReadOnlyList<string> attachments, CancellationToken cancellationToken)
    {
        var v = new Validation();
        var input = v.Take(SubmissionInput.Create(status, note), "status");
        var key = v.Take(SubmissionInput.IdempotencyKey(idempotencyKey), "Idempotency-Key");
        if (v.HasErrors)
        {
            return v.ToError();
        }

        var now = time.GetUtcNow();
        var (directive, unitId, task) = target;
        var summary = await submissions.SummaryAsync(directive.Id, unitId, task.Id, cancellationToken);
        if (key is null && summary.Latest is { } latest && latest.Repeats(input!, now))
        {
            return new SubmissionReceipt(latest, Added: false, AssignmentStanding.From(task.Deadline, summary, now));
        }

        var candidate = new SubmissionVersion(
            SubmissionVersion.DeriveId(directive.Id, task.Id, unitId, input!, key, now),
            directive.Id,
            task.Id,
            unitId,
            now,
            input!.Status,
            input.Note,
            task.Deadline.HasPassed(now),
            attachments);
        var (stored, added, after) = await submissions.AddIfAbsentAsync(candidate, cancellationToken, summary);
        return new SubmissionReceipt(stored, added, AssignmentStanding.From(task.Deadline, after, now));
    }
}
