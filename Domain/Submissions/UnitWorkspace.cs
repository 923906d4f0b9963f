using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Links;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Submissions;

/// <summary>Storage of submission versions, keyed by their derived id so a repeated post cannot add a second row.</summary>
public interface ISubmissionStore
{
    /// <summary>Every version for the directive, or for one unit of it.</summary>
    Task<IReadOnlyList<SubmissionVersion>> ListAsync(DirectiveId directive, UnitId? unit, CancellationToken cancellationToken);

    /// <summary>One version by its id, or null.</summary>
    Task<SubmissionVersion?> GetAsync(DirectiveId directive, UnitId unit, TaskId task, string versionId, CancellationToken cancellationToken);

    /// <summary>Inserts the version if no version with its id exists; returns the stored one either way, and whether this call added it.</summary>
    Task<(SubmissionVersion Stored, bool Added)> AddIfAbsentAsync(SubmissionVersion version, CancellationToken cancellationToken);
}

/// <summary>A unit's link resolved to the task it posts to: no storage read beyond the (immutable) directive.</summary>
public sealed record UnitTask(Directive Directive, UnitId UnitId, DirectiveTask Task)
{
    /// <summary>The directive's closure when the office has closed it: the unit may read, not report.</summary>
    public DirectiveClosure? Closed { get; init; }
}

/// <summary>What a unit sees behind its link: the directive, its own tasks and their history.</summary>
public sealed record UnitTaskView(DirectiveTask Task, AssignmentStanding Standing, IReadOnlyList<SubmissionVersion> History);

public sealed record UnitWorkspaceView(Directive Directive, Unit? Unit, UnitId UnitId, IReadOnlyList<UnitTaskView> Tasks, DateTimeOffset Now, DayCount Days)
{
    /// <summary>The directive's closure when the office has closed it: the page shows what was sent, and takes nothing more.</summary>
    public DirectiveClosure? Closed { get; init; }
}

/// <summary>The outcome of a submission: the version that counts for this post, whether this post added it, and where the assignment stands now.</summary>
public sealed record SubmissionReceipt(SubmissionVersion Version, bool Added, AssignmentState State);

/// <summary>
/// A unit's side of a directive, reached through its signed link only: see its tasks and submit.
/// A wrong, tampered or expired link and a task not assigned to the unit all answer the same NotFound;
/// a link the office replaced with a new one (its version below the unit's) answers Gone, saying so.
/// A closed directive is shown, not reported on: its reports are refused (Conflict, <c>directive-closed</c>).
/// </summary>
public sealed class UnitWorkspace(
    IDirectiveStore directives,
    ISubmissionStore submissions,
    UnitRegistry units,
    UnitLinkSigner links,
    ICalendarSource calendars,
    TimeProvider time,
    IDirectiveStateStore states,
    DirectiveRegistry registry)
{
    /// <summary>What a unit reads behind a link the office replaced.</summary>
    public static readonly Error Replaced = Error.Gone(
        "link-replaced", "Đường dẫn này đã được thay bằng đường dẫn mới. Xin dùng đường dẫn mới trong thư gần nhất của Văn phòng Đảng ủy, hoặc liên hệ Văn phòng để được gửi lại.");

    private static readonly Error NotFound = Error.NotFound("link-not-found", "Đường dẫn không đúng hoặc đã hết hạn.");

    /// <summary>What a unit reads when it reports a statistics task done without its file.</summary>
    public const string StatisticsNeedAcceptedFile =
        "Nhiệm vụ báo cáo số liệu chỉ hoàn thành khi bảng thống kê của đơn vị được chấp nhận: xin tải tệp Excel theo mẫu lên. Ở đây đồng chí chỉ gửi được ghi chú về tiến độ.";

    public async Task<Result<UnitWorkspaceView>> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var linked = await LinkedAsync(token, now, cancellationToken);
        if (!linked.IsSuccess)
        {
            return linked.Error!;
        }

        var (directive, unitId, closed) = linked.Value;

        // A task the office took the unit off stays on its page, with the notice, so the unit knows why its form is gone.
        var mine = directive.Tasks.Where(t => t.Units.Contains(unitId) || t.Withdrawn.ContainsKey(unitId)).ToList();
        if (mine.Count == 0)
        {
            return NotFound;
        }

        var versions = (await submissions.ListAsync(directive.Id, unitId, cancellationToken)).ToLookup(v => v.TaskId);
        var unit = await units.FindAsync(unitId, cancellationToken);
        var overdue = await calendars.DayCountAsync(cancellationToken);
        var tasks = mine.Select(t =>
        {
            var history = versions[t.Id].OrderByDescending(v => v.At).ToList();
            return new UnitTaskView(t, AssignmentStanding.Evaluate(t.Deadline, history, now, overdue), history);
        }).ToList();
        return new UnitWorkspaceView(directive, unit, unitId, tasks, now, overdue) { Closed = closed };
    }

    /// <summary>
    /// The task <paramref name="taskId"/> behind link <paramref name="token"/>, if the link is valid
    /// and the task is the unit's (or was, before the office took it off — the answer then says so, as
    /// for a cancelled task): one read of the directive (which the store may cache for a short while), the
    /// link version and the closure.
    /// </summary>
    public async Task<Result<UnitTask>> ResolveAsync(string? token, string? taskId, CancellationToken cancellationToken)
    {
        var linked = await LinkedAsync(token, time.GetUtcNow(), cancellationToken);
        if (!linked.IsSuccess)
        {
            return linked.Error!;
        }

        var (directive, unitId, closed) = linked.Value;
        var task = TaskId.Parse(taskId);
        var found = task.IsSuccess ? directive.Tasks.FirstOrDefault(t => t.Id == task.Value && (t.Units.Contains(unitId) || t.Withdrawn.ContainsKey(unitId))) : null;
        if (found is null)
        {
            return NotFound;
        }

        return Closed(found, unitId) is { } ended ? ended : new UnitTask(directive, unitId, found) { Closed = closed };
    }

    /// <summary>
    /// Why a unit can no longer report on a task: the office cancelled it, or took the unit off it —
    /// in words for the unit (Conflict); null while it can.
    /// </summary>
    public static Error? Closed(DirectiveTask task, UnitId unit)
    {
        if (task.Cancelled is { } cancelled)
        {
            return Error.Conflict("task-cancelled", $"Văn phòng đã hủy nhiệm vụ này ngày {VietnamTime.Format(VietnamTime.DateOf(cancelled.At))}{Because(cancelled.Reason)}. Đơn vị không cần báo cáo nữa; báo cáo gửi lên không được ghi nhận.");
        }

        if (!task.Units.Contains(unit) && task.Withdrawn.TryGetValue(unit, out var withdrawn))
        {
            return Error.Conflict("unit-withdrawn", $"Văn phòng đã bỏ đơn vị khỏi nhiệm vụ này ngày {VietnamTime.Format(VietnamTime.DateOf(withdrawn.At))}{Because(withdrawn.Reason)}. Đơn vị không còn phải thực hiện nhiệm vụ này; báo cáo gửi lên không được ghi nhận.");
        }

        return null;
    }

    private static string Because(string reason) => reason.Length > 0 ? $" (lý do: {reason})" : string.Empty;

    /// <summary>
    /// The directive and unit a valid link names, with the directive's closure: NotFound for a wrong,
    /// tampered or expired link or a directive that does not exist; Gone for a link of a version the
    /// office has replaced. Expired means past both the end signed into the link and the directive's
    /// end now (<see cref="DirectiveRegistry.IsOpen"/>): a link sent before a deadline was extended
    /// keeps working for the new deadline. The unit's link version and the closure are read on every request (two
    /// point reads, side by side), never cached: a new link or a closure holds at once everywhere.
    /// </summary>
    private async Task<Result<(Directive Directive, UnitId UnitId, DirectiveClosure? Closed)>> LinkedAsync(string? token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var link = links.Read(token);
        if (!link.IsSuccess || await directives.GetAsync(link.Value.DirectiveId, cancellationToken) is not { } directive
            || (now >= link.Value.ExpiresAt && !registry.IsOpen(directive, now)))
        {
            return NotFound;
        }

        var version = states.LinkVersionAsync(directive.Id, link.Value.UnitId, cancellationToken);
        var closure = states.ClosureAsync(directive.Id, cancellationToken);
        await Task.WhenAll(version, closure);
        return link.Value.Version == await version ? (directive, link.Value.UnitId, await closure)
            : link.Value.Version < await version ? Replaced
            : NotFound;
    }

    /// <summary>
    /// Stores a submission as a new version, unless it repeats one: the same <c>Idempotency-Key</c>
    /// (programs send it as a header; every rendered form carries one), or, without a key, the same
    /// content posted again within <see cref="SubmissionVersion.DuplicateWindow"/>. The common post
    /// costs one insert (plus, without a key, one point read of the id the same content had in the
    /// previous window): nothing reads the unit's history except a "done" after the deadline,
    /// whose standing depends on what came before.
    /// </summary>
    public async Task<Result<SubmissionReceipt>> SubmitAsync(
        UnitTask target, string? status, string? note, string? idempotencyKey, IReadOnlyList<string> attachments, CancellationToken cancellationToken)
    {
        if (target.Closed is { } closure)
        {
            return closure.Refusal;
        }

        var v = new Validation();
        var input = v.Take(SubmissionInput.Create(status, note), "status");
        var key = v.Take(SubmissionInput.IdempotencyKey(idempotencyKey), "Idempotency-Key");
        if (input?.Status == SubmissionStatus.Done && target.Task.Kind == TaskKind.Statistics)
        {
            // Only an accepted spreadsheet completes a statistics task (StatisticsImport records that "done"):
            // a "done" pressed here would stop its ladder while the office's figures still miss the unit.
            v.Add("status", "statistics-need-accepted-file", StatisticsNeedAcceptedFile);
        }

        if (v.HasErrors)
        {
            return v.ToError();
        }

        var now = time.GetUtcNow();
        var (directive, unitId, task) = target;
        if (key is null)
        {
            var previousWindow = SubmissionVersion.DeriveId(directive.Id, task.Id, unitId, input!, null, now - SubmissionVersion.DuplicateWindow);
            if (await submissions.GetAsync(directive.Id, unitId, task.Id, previousWindow, cancellationToken) is { } previous && previous.Repeats(input!, now))
            {
                return new SubmissionReceipt(previous, Added: false, await StateAfterAsync(target, previous, now, cancellationToken));
            }
        }

        var candidate = new SubmissionVersion(
            SubmissionVersion.DeriveId(directive.Id, task.Id, unitId, input!, key, now),
            directive.Id,
            task.Id,
            unitId,
            now,
            input!.Status,
            input.Note,
            task.IsPastDeadline(now),
            attachments);
        var (stored, added) = await submissions.AddIfAbsentAsync(candidate, cancellationToken);
        return new SubmissionReceipt(stored, added, await StateAfterAsync(target, stored, now, cancellationToken));
    }

    /// <summary>
    /// The assignment's state once <paramref name="latest"/> is its newest version. In progress:
    /// pending or overdue by the clock. Done before the deadline: on time, whatever came before (the
    /// completion instant can only be earlier). Done after it: on time only if an earlier "done"
    /// still stands — the one case that reads the task's versions.
    /// </summary>
    private async Task<AssignmentState> StateAfterAsync(UnitTask target, SubmissionVersion latest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deadline = target.Task.Deadline;
        if (latest.Status == SubmissionStatus.InProgress)
        {
            return target.Task.IsPastDeadline(now) ? AssignmentState.Overdue : AssignmentState.Pending;
        }

        if (!target.Task.IsPastDeadline(latest.At))
        {
            return AssignmentState.SubmittedOnTime;
        }

        var history = (await submissions.ListAsync(target.Directive.Id, target.UnitId, cancellationToken)).Where(h => h.TaskId == target.Task.Id && h.VersionId != latest.VersionId);
        return AssignmentStanding.Evaluate(deadline, history.Append(latest), now).State;
    }
}
