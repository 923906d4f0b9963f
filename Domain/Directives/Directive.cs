using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>A directive's id, made by the server: <c>d</c> and 12 random base-32 characters (key- and URL-safe).</summary>
public readonly partial record struct DirectiveId
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    private DirectiveId(string value) => Value = value;

    public string Value { get; }

    public static DirectiveId New() => new("d" + RandomNumberGenerator.GetString(Alphabet, 12));

    public static Result<DirectiveId> Parse(string? text) =>
        text is not null && Grammar().IsMatch(text) ? new DirectiveId(text) : Error.NotFound("directive-not-found", "Không tìm thấy công văn.");

    public override string ToString() => Value;

    [GeneratedRegex("^d[a-z0-9]{12}$")]
    private static partial Regex Grammar();
}

/// <summary>A task's id within its directive: <c>t1</c>, <c>t2</c>, … in the order the office listed them.</summary>
public readonly partial record struct TaskId
{
    private TaskId(string value) => Value = value;

    public string Value { get; }

    public static TaskId ForIndex(int index) => new($"t{index + 1}");

    public static Result<TaskId> Parse(string? text) =>
        text is not null && Grammar().IsMatch(text) ? new TaskId(text) : Error.NotFound("task-not-found", "Không tìm thấy nhiệm vụ.");

    public override string ToString() => Value;

    [GeneratedRegex("^t[1-9][0-9]{0,2}$")]
    private static partial Regex Grammar();
}

/// <summary>What a unit must do for a task: confirm it is done, or send the statistics spreadsheet.</summary>
public enum TaskKind
{
    Confirmation,
    Statistics,
}

public static class TaskKinds
{
    public static string Name(TaskKind kind) => kind == TaskKind.Statistics ? "Gửi báo cáo thống kê" : "Xác nhận thực hiện";

    public static Result<TaskKind> Parse(string? text, string field) => text switch
    {
        "confirmation" => TaskKind.Confirmation,
        "statistics" => TaskKind.Statistics,
        _ => Error.Validation(field, "invalid-kind", "Loại nhiệm vụ phải là 'confirmation' (xác nhận) hoặc 'statistics' (báo cáo thống kê)."),
    };
}

/// <summary>
/// One task of a directive: what, of which kind, by when, and which units must do it; a statistics
/// task also its template and rules. A deadline in working days keeps its <see cref="Term"/> ("05
/// ngày làm việc kể từ ngày 13/02/2026"): its <see cref="Deadline"/> is then the term's last day
/// counted with the calendar in force (<see cref="Directive.WithDeadlinesFrom"/>). <see cref="Remind"/>
/// false when the office chose "không nhắc" (its lateness is recorded, nothing is sent about it).
/// </summary>
/// <remarks>
/// A task may have no <see cref="Deadline"/> (most items of a dispatch give none): it is tracked and
/// reported — units report on it, the board counts it — but nothing is ever sent about it
/// (<see cref="Escalates"/>). Each assigned unit may have its role as the dispatch writes it
/// (<see cref="Roles"/>: chủ trì or phối hợp). After registration the office may cancel the task
/// (<see cref="Cancelled"/>) or take units off it (<see cref="Withdrawn"/>: their links no longer accept reports on it).
/// </remarks>
public sealed record DirectiveTask(TaskId Id, string Title, TaskKind Kind, Deadline? Deadline, IReadOnlyList<UnitId> Units, WorkingDaysTerm? Term = null, bool Remind = true)
{
    /// <summary>Whether the task was registered when its deadline had already passed (never, without a deadline).</summary>
    public bool RegisteredLate(DateTimeOffset registeredAt) => Deadline is { } deadline && deadline.HasPassed(registeredAt);

    /// <summary>Each assigned unit's role as the dispatch writes it; a unit not listed has none stated.</summary>
    public IReadOnlyDictionary<UnitId, UnitRole> Roles { get; init; } = new Dictionary<UnitId, UnitRole>();

    /// <summary>Set when the office cancelled the task: no more reminders, reports no longer taken.</summary>
    public TaskCancellation? Cancelled { get; init; }

    /// <summary>Units the office took off the task, with when and why; their links no longer accept reports on it.</summary>
    public IReadOnlyDictionary<UnitId, UnitWithdrawal> Withdrawn { get; init; } = new Dictionary<UnitId, UnitWithdrawal>();

    /// <summary>How many times the office extended the deadline: reminders for the new deadline are new emails, not the ones already sent.</summary>
    public int Extensions { get; init; }

    /// <summary>Whether the ladder (reminders, escalation, the digest) follows this task: it has a deadline, is reminded about and is not cancelled.</summary>
    public bool Escalates => Deadline is not null && Remind && Cancelled is null;

    /// <summary>A unit's role on the task, if the dispatch states one.</summary>
    public UnitRole? RoleOf(UnitId unit) => Roles.TryGetValue(unit, out var role) ? role : null;

    /// <summary>Whether the task has a deadline and it has passed at <paramref name="at"/> (never, without one).</summary>
    public bool IsPastDeadline(DateTimeOffset at) => Deadline is { } deadline && deadline.HasPassed(at);

    /// <summary>The deadline of a task the ladder follows (<see cref="Escalates"/>); a task without one has no ladder, so asking is a bug.</summary>
    public Deadline Due => Deadline ?? throw new InvalidOperationException($"Task {Id} has no deadline, so nothing is sent about it.");

    /// <summary>"hạn 25/02/2026" or "không có hạn", as the pages and emails write it.</summary>
    public string DeadlineText => Deadline is { } deadline ? $"hạn {deadline.Display}" : "không có hạn";

    /// <summary>A statistics task's template, rules and coverage; null for a confirmation task (and for statistics tasks registered before templates were per task: 643).</summary>
    public Statistics.StatisticsSpec? Statistics { get; init; }

    /// <summary>What a statistics task asks for: its own, or 643's as every statistics task asked before.</summary>
    public Statistics.StatisticsSpec StatisticsOrDefault => Statistics ?? ServerlessWorkflow.Domain.Statistics.StatisticsSpec.Official643;
}

/// <summary>A registered directive (công văn): its number, date, issuer, subject and tasks.</summary>
public sealed record Directive(
    DirectiveId Id,
    string Number,
    DateOnly IssuedOn,
    string Issuer,
    string Subject,
    IReadOnlyList<DirectiveTask> Tasks,
    DateTimeOffset RegisteredAt)
{
    /// <summary>The latest deadline of its tasks not cancelled; null when none has one.</summary>
    public Deadline? LastDeadline => Tasks.Where(t => t.Cancelled is null).Select(t => t.Deadline).Max();

    /// <summary>
    /// How long after registration a directive with a task without a deadline is followed (its links
    /// work) at least: such a task is tracked until the office closes the directive, or for this long.
    /// </summary>
    public static readonly TimeSpan UndatedFollowedFor = TimeSpan.FromDays(366);

    /// <summary>How many times the office has edited it since registration (0: as registered); its API version (ETag) is made from it.</summary>
    public int Revision { get; init; }

    public IEnumerable<UnitId> AssignedUnits => Tasks.SelectMany(t => t.Units).Distinct();

    public DirectiveTask? FindTask(TaskId id) => Tasks.FirstOrDefault(t => t.Id == id);

    /// <summary>Whether a task's deadline is counted in working days.</summary>
    public bool HasWorkingDayTerms => Tasks.Any(t => t.Term is not null);

    /// <summary>This directive with the deadlines in working days counted with <paramref name="calendar"/> (itself when it has none).</summary>
    public Directive WithDeadlinesFrom(WorkingCalendar calendar) =>
        HasWorkingDayTerms
            ? this with { Tasks = Tasks.Select(t => t.Term is { } term ? t with { Deadline = term.DeadlineIn(calendar) } : t).ToList() }
            : this;

    /// <summary>
    /// Until when the directive is followed: its units' links keep working <paramref name="linkLifetime"/>
    /// after its last deadline — or after its registration, for one registered once its deadlines had
    /// passed. Until the directive lifecycle lets the office close a directive, "open" means this.
    /// </summary>
    public DateTimeOffset FollowedUntil(TimeSpan linkLifetime)
    {
        var from = LastDeadline is { } last && last.PassesAt > RegisteredAt ? last.PassesAt : RegisteredAt;
        if (Tasks.Any(t => t.Deadline is null && t.Cancelled is null) && RegisteredAt + UndatedFollowedFor > from)
        {
            from = RegisteredAt + UndatedFollowedFor;
        }

        return from + linkLifetime;
    }
}

/// <summary>A unit's part in a task, as dispatches write it: it leads (chủ trì) or takes part (phối hợp).</summary>
public enum UnitRole
{
    ChuTri,
    PhoiHop,
}

public static class UnitRoles
{
    public static string Name(UnitRole role) => role == UnitRole.ChuTri ? "Chủ trì" : "Phối hợp";

    /// <summary>
    /// A role as programs send it (<c>chu-tri</c>, <c>phoi-hop</c>) or as people write it ("chủ trì",
    /// "phối hợp", with or without diacritics); empty: none stated.
    /// </summary>
    public static Result<UnitRole?> Parse(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result<UnitRole?>.Success(null);
        }

        return Text.Fold(text).Replace('-', ' ').Replace('_', ' ') switch
        {
            "chu tri" or "chutri" => UnitRole.ChuTri,
            "phoi hop" or "phoihop" => UnitRole.PhoiHop,
            _ => Error.Validation(field, "invalid-role", "Vai trò của đơn vị chỉ có thể là chủ trì hoặc phối hợp."),
        };
    }
}

/// <summary>The office cancelled a task: when, who, and why.</summary>
public sealed record TaskCancellation(DateTimeOffset At, string By, string Reason);

/// <summary>The office took a unit off a task: when, who, and why.</summary>
public sealed record UnitWithdrawal(DateTimeOffset At, string By, string Reason);
