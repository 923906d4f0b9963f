using System.Security.Cryptography;
using System.Text;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Submissions;

/// <summary>What a unit reports: the task is done, or under way.</summary>
public enum SubmissionStatus
{
    InProgress,
    Done,
}

public static class SubmissionStatuses
{
    public static string Name(SubmissionStatus status) => status == SubmissionStatus.Done ? "Đã hoàn thành" : "Đang thực hiện";

    public static Result<SubmissionStatus> Parse(string? text, string field = "status") => text?.Trim() switch
    {
        "done" => SubmissionStatus.Done,
        "in-progress" => SubmissionStatus.InProgress,
        null or "" => Error.Validation(field, "required", "Hãy chọn tình trạng: đã hoàn thành hoặc đang thực hiện."),
        _ => Error.Validation(field, "invalid-status", "Tình trạng chỉ có thể là đã hoàn thành hoặc đang thực hiện."),
    };
}

/// <summary>A validated submission: status and note (NFC, up to <see cref="MaxNoteLength"/> characters, several lines allowed).</summary>
public sealed record SubmissionInput(SubmissionStatus Status, string Note)
{
    public const int MaxNoteLength = 2000;
    public const int MaxIdempotencyKeyLength = 100;

    public static Result<SubmissionInput> Create(string? status, string? note)
    {
        var v = new Validation();
        var parsedStatus = v.Take(SubmissionStatuses.Parse(status), "status");
        var cleanNote = v.Take(Text.Clean(note, "note", MaxNoteLength, required: false, multiline: true), "note");
        return v.HasErrors ? v.ToError() : new SubmissionInput(parsedStatus, cleanNote!);
    }

    /// <summary>An <c>Idempotency-Key</c> header: 1–100 visible ASCII characters, or absent.</summary>
    public static Result<string?> IdempotencyKey(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return Result<string?>.Success(null);
        }

        return header.Length <= MaxIdempotencyKeyLength && header.All(c => c is > ' ' and < '\u007f')
            ? header
            : Error.Validation("Idempotency-Key", "invalid-idempotency-key", "Khóa chống gửi trùng (Idempotency-Key) phải gồm 1–100 ký tự ASCII nhìn thấy được.");
    }
}

/// <summary>One stored version of a unit's submission for a task. Every version is kept; the latest counts.</summary>
public sealed record SubmissionVersion(
    string VersionId,
    DirectiveId DirectiveId,
    TaskId TaskId,
    UnitId UnitId,
    DateTimeOffset At,
    SubmissionStatus Status,
    string Note,
    bool Late,
    IReadOnlyList<string> Attachments)
{
    /// <summary>Two posts within this window with the same content are one submission (a double click).</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The version's id, derived so a repeated post maps to the same id and storage can insert it
    /// only if absent: from the <c>Idempotency-Key</c> when the caller sent one, otherwise from the
    /// content and the <see cref="DuplicateWindow"/> it was posted in.
    /// </summary>
    public static string DeriveId(DirectiveId directive, TaskId task, UnitId unit, SubmissionInput input, string? idempotencyKey, DateTimeOffset at)
    {
        var material = idempotencyKey is not null
            ? $"key\n{directive}\n{task}\n{unit}\n{idempotencyKey}"
            : $"content\n{directive}\n{task}\n{unit}\n{(input.Status == SubmissionStatus.Done ? "done" : "in-progress")}\n{input.Note}\n{at.ToUnixTimeSeconds() / (long)DuplicateWindow.TotalSeconds}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)))[..32];
    }

    /// <summary>Whether this version repeats <paramref name="input"/> posted at <paramref name="at"/> (same content, within the window).</summary>
    public bool Repeats(SubmissionInput input, DateTimeOffset at) =>
        Status == input.Status && Note == input.Note && at - At < DuplicateWindow && at >= At;
}

/// <summary>Where a unit stands on one task at one instant.</summary>
public enum AssignmentState
{
    /// <summary>Not completed, deadline not passed.</summary>
    Pending,

    /// <summary>Completed before the deadline passed.</summary>
    SubmittedOnTime,

    /// <summary>Completed after the deadline passed.</summary>
    SubmittedLate,

    /// <summary>Not completed, deadline passed.</summary>
    Overdue,
}

/// <summary>A unit's standing on a task: its state, when it completed (if it did), its latest report and how many versions it sent.</summary>
public sealed record AssignmentStanding(AssignmentState State, DateTimeOffset? CompletedAt, SubmissionVersion? Latest, int Versions, int DaysOverdue)
{
    public static string Name(AssignmentState state) => state switch
    {
        AssignmentState.Pending => "Chưa thực hiện",
        AssignmentState.SubmittedOnTime => "Hoàn thành đúng hạn",
        AssignmentState.SubmittedLate => "Hoàn thành muộn",
        AssignmentState.Overdue => "Quá hạn",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>
    /// The standing from every version the unit sent. The latest version counts: if it says done,
    /// the task was completed when the unit first said done after its last "in progress"; that
    /// instant decides on time or late. Re-sending "done" to correct a note does not make it late.
    /// Days overdue (or late) are counted as <paramref name="overdue"/> says: in working days with the
    /// calendar, or — when none is given — in calendar days. A task without a deadline is never late
    /// nor overdue: done (on time) or not yet done.
    /// </summary>
    public static AssignmentStanding Evaluate(Deadline? deadline, IEnumerable<SubmissionVersion> versions, DateTimeOffset now, DayCount? overdue = null) =>
        From(deadline, AssignmentSummary.Of(versions), now, overdue);

    /// <summary>The standing from an assignment's summary (what <see cref="Evaluate"/> folds the versions into).</summary>
    public static AssignmentStanding From(Deadline? due, AssignmentSummary summary, DateTimeOffset now, DayCount? overdue = null)
    {
        if (due is not { } deadline)
        {
            return new AssignmentStanding(summary.CompletedAt is null ? AssignmentState.Pending : AssignmentState.SubmittedOnTime, summary.CompletedAt, summary.Latest, summary.Versions, 0);
        }

        var count = overdue ?? DayCount.InCalendarDays;
        if (summary.CompletedAt is { } done)
        {
            return new AssignmentStanding(deadline.HasPassed(done) ? AssignmentState.SubmittedLate : AssignmentState.SubmittedOnTime, done, summary.Latest, summary.Versions, count.DaysOverdue(deadline, done));
        }

        return deadline.HasPassed(now)
            ? new AssignmentStanding(AssignmentState.Overdue, null, summary.Latest, summary.Versions, count.DaysOverdue(deadline, now))
            : new AssignmentStanding(AssignmentState.Pending, null, summary.Latest, summary.Versions, 0);
    }
}

/// <summary>
/// Everything the standing needs from an assignment's versions: how many versions, the latest one, and when the unit completed the task
/// (first "done" after its last "in progress"; none while the latest says in progress). Folding the
/// versions in time order with <see cref="Apply"/> is the one definition of the standing.
/// </summary>
public sealed record AssignmentSummary(int Versions, SubmissionVersion? Latest, DateTimeOffset? CompletedAt)
{
    public static readonly AssignmentSummary None = new(0, null, null);

    /// <summary>The summary once <paramref name="version"/>, the newest so far, is added.</summary>
    public AssignmentSummary Apply(SubmissionVersion version) =>
        new(Versions + 1, version, version.Status == SubmissionStatus.Done ? CompletedAt ?? version.At : null);

    public static AssignmentSummary Of(IEnumerable<SubmissionVersion> versions) =>
        versions.OrderBy(v => v.At).ThenBy(v => v.VersionId, StringComparer.Ordinal).Aggregate(None, (summary, v) => summary.Apply(v));
}
