using System.Globalization;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>A task as typed: its deadline written (<see cref="Deadline"/>), or — for programs — in working days as <see cref="WorkingDays"/> from <see cref="CountFrom"/>.</summary>
public sealed record TaskInput(string? Title, string? Kind, string? Deadline, IReadOnlyList<string>? Units, string? WorkingDays = null, string? CountFrom = null);

public sealed record DirectiveInput(string? Number, string? IssuedOn, string? Issuer, string? Subject, IReadOnlyList<TaskInput>? Tasks);

/// <summary>
/// Registers a directive from the office's input, validating every field at once (paths such as
/// <c>tasks[0].deadline</c>). A unit reference <c>id</c> names that unit; <c>id/*</c> names it and
/// every unit under it. Deadlines: ISO dates or date-times with offset (the API), dd/MM/yyyy
/// and the dispatch's own words ("trước ngày 26/02/2026"), or working days ("05 ngày làm việc kể từ
/// ngày 13/02/2026", or <c>workingDays</c> and <c>countFrom</c>), whose last day is counted with
/// the calendar in force.
/// </summary>
public static class DirectiveRegistration
{
    public const int MaxTasks = 50;

    /// <summary>A task's title: room for a dispatch item's whole text (the longest of the seeds' is 345 characters).</summary>
    public const int MaxTitleLength = 400;
    public const string DescendantsSuffix = "/*";

    /// <summary>How a deadline is written, for the messages that ask for one (dates as people write them; programs may send ISO dates too).</summary>
    private const string HowToWriteDeadline = "Ghi ngày/tháng/năm, ví dụ 25/02/2026, “trước ngày 26/02/2026” hoặc “05 ngày làm việc kể từ ngày 13/02/2026”.";

    public static Result<Directive> Register(DirectiveInput input, UnitTree units, DirectiveId id, DateTimeOffset now, WorkingCalendar calendar)
    {
        var v = new Validation();
        var number = v.Take(Text.Clean(input.Number, "number", 60), "number");
        var issuer = v.Take(Text.Clean(input.Issuer, "issuer", 200), "issuer");
        var subject = v.Take(Text.Clean(input.Subject, "subject", 500), "subject");
        var issuedOn = ParseDate(input.IssuedOn, "issuedOn", v, "ngày ban hành", "05/02/2026");

        var tasks = new List<DirectiveTask>();
        if (input.Tasks is not { Count: > 0 })
        {
            v.Add("tasks", "required", "Công văn cần ít nhất một nhiệm vụ.");
        }
        else if (input.Tasks.Count > MaxTasks)
        {
            v.Add("tasks", "too-many", $"Tối đa {MaxTasks} nhiệm vụ.");
        }
        else
        {
            for (var i = 0; i < input.Tasks.Count; i++)
            {
                var path = $"tasks[{i.ToString(CultureInfo.InvariantCulture)}]";
                var task = input.Tasks[i];
                var title = v.Take(Text.Clean(task.Title, $"{path}.title", MaxTitleLength), $"{path}.title");
                var kind = v.Take(TaskKinds.Parse(task.Kind, $"{path}.kind"), $"{path}.kind");
                var due = v.Take(ParseDue(task, path, calendar), $"{path}.deadline");
                var assigned = ResolveUnits(task.Units, units, $"{path}.units", v);
                if (title is not null && due is not null && assigned.Count > 0)
                {
                    tasks.Add(new DirectiveTask(TaskId.ForIndex(i), title, kind, due.Deadline, assigned, due.Term));
                }
            }
        }

        return v.HasErrors
            ? v.ToError()
            : new Directive(id, number!, issuedOn, issuer!, subject!, tasks, now);
    }

    /// <summary>
    /// A task's deadline: an API deadline (ISO), a written one (dd/MM/yyyy, "trước ngày …"), or a term
    /// in working days — written ("05 ngày làm việc kể từ ngày 13/02/2026") or as <c>workingDays</c>
    /// and <c>countFrom</c> — whose last day <paramref name="calendar"/> counts.
    /// </summary>
    public static Result<TaskDue> ParseDue(TaskInput task, string path, WorkingCalendar calendar)
    {
        var field = $"{path}.deadline";
        if (task.WorkingDays is not null || task.CountFrom is not null)
        {
            return string.IsNullOrWhiteSpace(task.Deadline)
                ? ParseStructuredTerm(task, path, calendar)
                : Error.Validation(field, "deadline-twice", "Chỉ ghi hạn (deadline) hoặc số ngày làm việc (workingDays, countFrom), không ghi cả hai.");
        }

        var iso = Deadline.ParseIso(task.Deadline, field);
        if (iso.IsSuccess)
        {
            return new TaskDue(iso.Value, null);
        }

        if (WorkingDaysTerm.ParseWritten(task.Deadline, field) is { } term)
        {
            return term.IsSuccess ? TaskDue.Of(term.Value, calendar) : term.Error!;
        }

        if (WorkingDaysTerm.MentionsWorkingDays(task.Deadline))
        {
            return Error.Validation(field, "invalid-working-days", "Hạn theo ngày làm việc viết như: 05 ngày làm việc kể từ ngày 13/02/2026.");
        }

        if (string.IsNullOrWhiteSpace(task.Deadline))
        {
            return Error.Validation(field, "required", $"Chưa có hạn hoàn thành. {HowToWriteDeadline}");
        }

        var written = Deadline.ParseWritten(task.Deadline, field);
        return written.IsSuccess
            ? new TaskDue(written.Value, null)
            : Error.Validation(field, "invalid-deadline", $"Không đọc được hạn “{Text.SingleLine(task.Deadline)}”. {HowToWriteDeadline}");
    }

    private static Result<TaskDue> ParseStructuredTerm(TaskInput task, string path, WorkingCalendar calendar)
    {
        var v = new Validation();
        if (!int.TryParse(task.WorkingDays, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            v.Add($"{path}.workingDays", "invalid-working-days", $"Số ngày làm việc phải là số nguyên từ 1 đến {WorkingDaysTerm.MaxDays}.");
        }

        var from = ParseDate(task.CountFrom, $"{path}.countFrom", v, "ngày bắt đầu tính", "13/02/2026");
        if (v.HasErrors)
        {
            return v.ToError();
        }

        var term = WorkingDaysTerm.Create(days, from, $"{path}.workingDays");
        return term.IsSuccess ? TaskDue.Of(term.Value, calendar) : term.Error!;
    }

    /// <summary>A date as people write it (or ISO, from programs); the problem worded for a clerk: "Chưa có ngày ban hành. Ghi ngày/tháng/năm, ví dụ 05/02/2026."</summary>
    private static DateOnly ParseDate(string? text, string field, Validation v, string what, string example)
    {
        if (VietnamTime.TryParseIsoOrWritten(text, out var date))
        {
            return date;
        }

        var blank = string.IsNullOrWhiteSpace(text);
        v.Add(field, blank ? "required" : "invalid-date", $"{(blank ? $"Chưa có {what}." : $"Không đọc được {what} “{Text.SingleLine(text!)}”.")} Ghi ngày/tháng/năm, ví dụ {example}.");
        return default;
    }

    private static List<UnitId> ResolveUnits(IReadOnlyList<string>? references, UnitTree units, string field, Validation v)
    {
        var resolved = new List<UnitId>();
        if (references is not { Count: > 0 })
        {
            v.Add(field, "required", "Cần giao nhiệm vụ cho ít nhất một đơn vị.");
            return resolved;
        }

        var seen = new HashSet<UnitId>();
        for (var i = 0; i < references.Count; i++)
        {
            var reference = references[i] ?? string.Empty;
            var withDescendants = reference.EndsWith(DescendantsSuffix, StringComparison.Ordinal);
            var itemField = $"{field}[{i.ToString(CultureInfo.InvariantCulture)}]";
            var id = UnitId.Parse(withDescendants ? reference[..^DescendantsSuffix.Length] : reference, itemField);
            if (!id.IsSuccess)
            {
                v.AddRange(id.Error!.Fields);
                continue;
            }

            var found = withDescendants ? units.SelfAndDescendants(id.Value) : units.Find(id.Value) is { } u ? [u] : [];
            if (found.Count == 0)
            {
                v.Add(itemField, "unknown-unit", $"Không có đơn vị mã '{id.Value}'.");
                continue;
            }

            resolved.AddRange(found.Select(f => f.Id).Where(seen.Add));
        }

        return resolved;
    }
}

/// <summary>A task's deadline and, when it is counted in working days, its term.</summary>
public sealed record TaskDue(Deadline Deadline, WorkingDaysTerm? Term)
{
    public static TaskDue Of(WorkingDaysTerm term, WorkingCalendar calendar) => new(term.DeadlineIn(calendar), term);
}
