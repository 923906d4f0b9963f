using System.Text.Json.Serialization;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Wire;

namespace ServerlessWorkflow.Functions.Features.Submissions;

/// <summary>
/// <c>POST /u/{token}/tasks/{taskId}</c>: done or in progress, and a note — as JSON, or as the unit
/// page's form (urlencoded or multipart, with attached files and the form's own idempotency key).
/// Programs send their idempotency key in the <c>Idempotency-Key</c> header.
/// </summary>
public sealed record SubmitTaskRequest(string? Status, string? Note, string? IdempotencyKey = null) : IRequestBody<SubmitTaskRequest>
{
    /// <summary>The hidden field of each rendered task form: a fresh idempotency key, so posting the same form twice stores one version.</summary>
    public const string FormKeyField = "idempotencyKey";

    public static bool ReadsForm => true;

    /// <summary>Files attached to the form (none from JSON), each kept as a blob.</summary>
    [JsonIgnore]
    public IReadOnlyList<IFormFile> Files { get; init; } = [];

    public static SubmitTaskRequest FromForm(IFormCollection form) =>
        new(form["status"], form["note"], form[FormKeyField]) { Files = form.Files.Where(f => f.Length > 0).ToList() };
}

/// <summary>A submission as stored, and where the assignment stands after it; <see cref="Repeated"/> when it repeated one already stored.</summary>
public sealed record SubmissionResponse(
    string VersionId,
    string TaskId,
    string UnitId,
    SubmissionStatus Status,
    string Note,
    DateTimeOffset At,
    bool Late,
    int Attachments,
    AssignmentState State,
    bool Repeated)
{
    public static SubmissionResponse Of(SubmissionReceipt receipt) => new(
        receipt.Version.VersionId,
        receipt.Version.TaskId.Value,
        receipt.Version.UnitId.Value,
        receipt.Version.Status,
        receipt.Version.Note,
        receipt.Version.At,
        receipt.Version.Late,
        receipt.Version.Attachments.Count,
        receipt.State,
        Repeated: !receipt.Added);
}

/// <summary><c>GET /u/{token}</c> for programs: the directive, the unit, and each of its tasks with its deadline, state and history.</summary>
public sealed record UnitWorkspaceResponse(WorkspaceDirective Directive, WorkspaceUnit Unit, IReadOnlyList<WorkspaceTask> Tasks)
{
    /// <summary>When the office closed the directive (no more reports are taken); absent while it is open.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    public static UnitWorkspaceResponse Of(UnitWorkspaceView view) => new(
        new WorkspaceDirective(view.Directive.Id.Value, view.Directive.Number, view.Directive.Subject, view.Directive.Issuer),
        new WorkspaceUnit(view.UnitId.Value, view.Unit?.Name),
        view.Tasks.Select(t => new WorkspaceTask(
            t.Task.Id.Value,
            t.Task.Title,
            t.Task.Kind,
            WireFormat.Deadline(t.Task.Deadline),
            t.Task.Term is { } term ? DeadlineTerm.Of(term, view.Days.Calendar) : null,
            t.Task.Deadline is { } deadline ? view.Days.DaysLeft(deadline, view.Now) : null,
            t.Standing.State,
            t.Standing.DaysOverdue,
            view.Days.Unit,
            t.History.Select(v => new WorkspaceVersion(v.VersionId, v.Status, v.Note, v.At, v.Late, v.Attachments.Count)).ToList())).ToList())
    {
        ClosedAt = view.Closed?.ClosedAt,
    };
}

public sealed record WorkspaceDirective(string Id, string Number, string Subject, string Issuer);

public sealed record WorkspaceUnit(string Id, string? Name);

/// <summary>A task of the unit: its deadline (and, in working days, its term; none: the task has no deadline, it is only tracked), the days left and overdue — counted in <see cref="DaysCountedIn"/> — its state and history; its role (chủ trì or phối hợp) when the dispatch states one; whether it was cancelled or the unit taken off it (then reports are no longer taken).</summary>
public sealed record WorkspaceTask(
    string Id,
    string Title,
    TaskKind Kind,
    string? Deadline,
    DeadlineTerm? Term,
    int? DaysLeft,
    AssignmentState State,
    int DaysOverdue,
    DayUnit DaysCountedIn,
    IReadOnlyList<WorkspaceVersion> History);

public sealed record WorkspaceVersion(string VersionId, SubmissionStatus Status, string Note, DateTimeOffset At, bool Late, int Attachments);
