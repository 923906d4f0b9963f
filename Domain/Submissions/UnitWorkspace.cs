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

    /// <summary>Inserts the version if no version with its id exists; returns the stored one either way, and whether this call added it.</summary>
    Task<(SubmissionVersion Stored, bool Added)> AddIfAbsentAsync(SubmissionVersion version, CancellationToken cancellationToken);
}

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
    /// Stores a submission as a new version, unless it repeats one: the same <c>Idempotency-Key</c>,
    /// or the same content posted again within <see cref="SubmissionVersion.DuplicateWindow"/>.
    /// </summary>
    /// <remarks>Takes the workspace the caller opened with <see cref="OpenAsync"/>, so a post verifies its link and reads its directive once.</remarks>
    public async Task<Result<SubmissionReceipt>> SubmitAsync(
        UnitWorkspaceView workspace, string? taskId, string? status, string? note, string? idempotencyKey, IReadOnlyList<string> attachments, CancellationToken cancellationToken)
    {
        var task = TaskId.Parse(taskId);
        var view = task.IsSuccess ? workspace.Tasks.FirstOrDefault(t => t.Task.Id == task.Value) : null;
        if (view is null)
        {
            return Error.NotFound("task-not-found", "Không tìm thấy nhiệm vụ.");
        }

        var v = new Validation();
        var input = v.Take(SubmissionInput.Create(status, note), "status");
        var key = v.Take(SubmissionInput.IdempotencyKey(idempotencyKey), "Idempotency-Key");
        if (v.HasErrors)
        {
            return v.ToError();
        }

        var now = time.GetUtcNow();
        var directive = workspace.Directive;
        if (key is null && view.History.Count > 0 && view.History[0].Repeats(input!, now))
        {
            return new SubmissionReceipt(view.History[0], Added: false, view.Standing);
        }

        var candidate = new SubmissionVersion(
            SubmissionVersion.DeriveId(directive.Id, view.Task.Id, workspace.UnitId, input!, key, now),
            directive.Id,
            view.Task.Id,
            workspace.UnitId,
            now,
            input!.Status,
            input.Note,
            view.Task.Deadline.HasPassed(now),
            attachments);
        var (stored, added) = await submissions.AddIfAbsentAsync(candidate, cancellationToken);
        var history = view.History.Where(h => h.VersionId != stored.VersionId).Append(stored);
        return new SubmissionReceipt(stored, added, AssignmentStanding.Evaluate(view.Task.Deadline, history, now));
    }
}
