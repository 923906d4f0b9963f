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
public sealed record DirectiveTask(TaskId Id, string Title, TaskKind Kind, Deadline Deadline, IReadOnlyList<UnitId> Units, WorkingDaysTerm? Term = null, bool Remind = true)
{
    /// <summary>Whether the task was registered when its deadline had already passed.</summary>
    public bool RegisteredLate(DateTimeOffset registeredAt) => Deadline.HasPassed(registeredAt);

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
    public Deadline LastDeadline => Tasks.Max(t => t.Deadline);

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
    public DateTimeOffset FollowedUntil(TimeSpan linkLifetime) => (LastDeadline.PassesAt > RegisteredAt ? LastDeadline.PassesAt : RegisteredAt) + linkLifetime;
}
