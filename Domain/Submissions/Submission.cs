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
    /// <summary>
    /// The status the unit reported last: that of <see cref="Latest"/> when the versions were read,
    /// or the read model's <see cref="AssignmentMark.Status"/> when only the mark was (then
    /// <see cref="Latest"/> is null and <see cref="Versions"/> 0: the office's board keeps neither).
    /// </summary>
    public SubmissionStatus? LatestStatus { get; init; } = Latest?.Status;

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
    public static AssignmentStanding From(Deadline? deadline, AssignmentSummary summary, DateTimeOffset now, DayCount? overdue = null) =>
        Of(deadline, summary.Progress.Mark, now, overdue) with { Latest = summary.Latest, Versions = summary.Versions, LatestStatus = summary.Latest?.Status };

    /// <summary>The standing from an assignment's mark alone (what the office's read models keep): no latest version, no count of versions; days counted as <paramref name="overdue"/> says (calendar days when none is given).</summary>
    public static AssignmentStanding Of(Deadline? deadline, AssignmentMark mark, DateTimeOffset now, DayCount? overdue = null) =>
        new(mark.StateAt(deadline, now), mark.CompletedAt, null, 0, mark.DaysOverdue(deadline, now, overdue ?? DayCount.InCalendarDays)) { LatestStatus = mark.Status };
}

/// <summary>
/// What storage keeps beside an assignment's versions, changed in the same transaction as each one:
/// how many versions, the latest (its id, instant and status) and when the task was completed —
/// the first "done" after the last "in progress", none while the latest says in progress. Folding
/// the versions in time order (then by id) with <see cref="Apply"/> is the one definition of it.
/// </summary>
public sealed record AssignmentProgress(int Versions, string? LatestVersionId, DateTimeOffset? LatestAt, SubmissionStatus? LatestStatus, DateTimeOffset? CompletedAt)
{
    public static readonly AssignmentProgress None = new(0, null, null, null, null);

    /// <summary>What the office's read models keep of it: the latest status and the completion instant.</summary>
    public AssignmentMark Mark => new(LatestStatus, CompletedAt);

    /// <summary>Whether <paramref name="version"/> comes after every version folded in so far (by instant, then id): only then may <see cref="Apply"/> take it; an earlier one needs the history folded again.</summary>
    public bool IsBefore(SubmissionVersion version) =>
        LatestAt is not { } at || version.At > at || (version.At == at && string.CompareOrdinal(version.VersionId, LatestVersionId) > 0);

    /// <summary>The progress once <paramref name="version"/>, the newest so far, is added.</summary>
    public AssignmentProgress Apply(SubmissionVersion version) =>
        new(Versions + 1, version.VersionId, version.At, version.Status, version.Status == SubmissionStatus.Done ? CompletedAt ?? version.At : null);

    public static AssignmentProgress Of(IEnumerable<SubmissionVersion> versions) => AssignmentSummary.Of(versions).Progress;

    /// <summary>Versions in the order they are folded: by instant, then by id.</summary>
    public static IEnumerable<SubmissionVersion> InOrder(IEnumerable<SubmissionVersion> versions) =>
        versions.OrderBy(v => v.At).ThenBy(v => v.VersionId, StringComparer.Ordinal);
}

/// <summary>
/// Where an assignment stands as far as the office's pages need to know, whatever the clock: nothing
/// reported (<see cref="Status"/> null), in progress, or done at <see cref="CompletedAt"/>. It
/// changes only when the unit first reports, switches between "in progress" and "done", or
/// completes again — not when it re-sends "done" with another note — so the read models built
/// from it change only then. Its state at an instant follows from the deadline (<see cref="StateAt"/>).
/// </summary>
public readonly record struct AssignmentMark(SubmissionStatus? Status, DateTimeOffset? CompletedAt)
{
    public static AssignmentMark None => default;

    public bool IsDone => CompletedAt is not null;

    /// <summary>The state at <paramref name="now"/>; without a deadline (<paramref name="deadline"/> null) never late nor overdue: done on time or not yet done.</summary>
    public AssignmentState StateAt(Deadline? deadline, DateTimeOffset now) => CompletedAt is { } done
        ? deadline is { } due && due.HasPassed(done) ? AssignmentState.SubmittedLate : AssignmentState.SubmittedOnTime
        : deadline is { } open && open.HasPassed(now) ? AssignmentState.Overdue : AssignmentState.Pending;

    /// <summary>Days late at completion, or days overdue now when not completed, counted as <paramref name="count"/> says; 0 while on time and always 0 without a deadline.</summary>
    public int DaysOverdue(Deadline? deadline, DateTimeOffset now, DayCount count) => deadline is { } due ? count.DaysOverdue(due, CompletedAt ?? now) : 0;
}

/// <summary>
/// Everything the standing needs from an assignment's versions: its <see cref="AssignmentProgress"/>
/// and the latest version itself (with its note and files).
/// </summary>
public sealed record AssignmentSummary(AssignmentProgress Progress, SubmissionVersion? Latest)
{
    public static readonly AssignmentSummary None = new(AssignmentProgress.None, null);

    public int Versions => Progress.Versions;

    public DateTimeOffset? CompletedAt => Progress.CompletedAt;

    /// <summary>The summary once <paramref name="version"/>, the newest so far, is added.</summary>
    public AssignmentSummary Apply(SubmissionVersion version) => new(Progress.Apply(version), version);

    public static AssignmentSummary Of(IEnumerable<SubmissionVersion> versions) =>
        AssignmentProgress.InOrder(versions).Aggregate(None, (summary, v) => summary.Apply(v));
}
