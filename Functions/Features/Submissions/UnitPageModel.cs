using System.Security.Cryptography;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Submissions;

namespace ServerlessWorkflow.Functions.Features.Submissions;

/// <summary>What the unit's page says about the last action: the task a report was recorded for, or the task a problem concerns, with the problem and what the unit had typed (shown again).</summary>
public sealed record UnitPageNotice(TaskId? Confirmed, TaskId? Task, Error? Error, UploadRefusal? UploadRefusal, SubmitTaskRequest? Typed = null)
{
    public static readonly UnitPageNotice None = new(null, null, null, null);
}

/// <summary>
/// The unit's page: the directive, each of its tasks with its deadline (dd/MM/yyyy) and days left,
/// a form per task (status, note, files) that works without JavaScript, statistics uploads and
/// their outcome, and the history of what the unit sent.
/// </summary>
public sealed record UnitPageModel(UnitWorkspaceView View, string Token, UnitPageNotice Notice, IReadOnlyDictionary<TaskId, IReadOnlyList<Upload>> Uploads)
{
    /// <summary>How many of a task's latest uploads the page lists.</summary>
    public const int UploadsShown = 3;

    /// <summary>A fresh idempotency key for each task's form as rendered now: the same form posted twice is one version.</summary>
    public IReadOnlyDictionary<TaskId, string> FormKeys { get; } =
        View.Tasks.ToDictionary(t => t.Task.Id, _ => RandomNumberGenerator.GetHexString(32, lowercase: true));

    public IReadOnlyList<Upload> LatestUploads(TaskId task) =>
        (Uploads.GetValueOrDefault(task) ?? []).OrderByDescending(u => u.Id.Value, StringComparer.Ordinal).Take(UploadsShown).ToList();

    public Error? ErrorAt(TaskId task) => Notice.Task == task ? Notice.Error : null;

    /// <summary>The directive's changes that concern the unit, newest first, each with its lines for the unit.</summary>
    public IReadOnlyList<(DirectiveChange Change, IReadOnlyList<ChangeLine> Lines)> Changes { get; init; } = [];

    /// <summary>Why the unit can no longer report on a task (cancelled, or the unit taken off it); null while it can.</summary>
    public Error? Closed(DirectiveTask task) => UnitWorkspace.Closed(task, View.UnitId);

    /// <summary>The status the unit had chosen in a form that came back with a problem, if it was one of the two.</summary>
    public SubmissionStatus? StatusChosen(TaskId task) =>
        Notice.Task == task && SubmissionStatuses.Parse(Notice.Typed?.Status) is { IsSuccess: true } chosen ? chosen.Value : null;

    /// <summary>The note typed in a form that came back with a problem.</summary>
    public string? NoteTyped(TaskId task) => Notice.Task == task ? Notice.Typed?.Note : null;

    public string? UploadProblemAt(TaskId task) =>
        Notice.Task == task && Notice.UploadRefusal is { } refusal ? UploadRefusals.Message(refusal) : null;
}
