using System.Globalization;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// What the office changes in a registered directive, as typed: corrections of its number, date,
/// issuer or subject (null: unchanged), per task (<see cref="Tasks"/>) units added or removed, a
/// later deadline or a cancellation, tasks added (<see cref="NewTasks"/>, as at registration), and
/// the reason — required to extend a deadline, cancel a task or take a unit off a task.
/// </summary>
public sealed record DirectiveEditInput(string? Number, string? IssuedOn, string? Issuer, string? Subject, string? Reason, IReadOnlyList<TaskEditInput>? Tasks, IReadOnlyList<TaskInput>? NewTasks);

/// <summary>
/// One task's change: units to add (references as at registration, <c>id/*</c> included, each with
/// its role by the same index in <see cref="AddRoles"/>), units to take off, a new deadline (later
/// than the one it has, or a first one for a task without), or its cancellation.
/// </summary>
public sealed record TaskEditInput(string? Id, IReadOnlyList<string>? AddUnits, IReadOnlyList<string?>? AddRoles, IReadOnlyList<string>? RemoveUnits, string? Deadline, bool Cancel);

/// <summary>What kind of change a line of the history records.</summary>
public enum DirectiveChangeKind
{
    Corrected,
    UnitsAdded,
    UnitsRemoved,
    DeadlineExtended,
    DeadlineSet,
    TaskCancelled,
    TaskAdded,
}

/// <summary>
/// One change, in the office's words (<see cref="Text"/>: "Gia hạn nhiệm vụ 2 “…” từ 25/02/2026 đến
/// 10/03/2026"), with what it was and what it is, the task it touches and the units it concerns —
/// the ones told about it on their page (a correction of the directive itself concerns them all).
/// </summary>
public sealed record ChangeLine(DirectiveChangeKind Kind, TaskId? Task, IReadOnlyList<UnitId> Units, string? Before, string? After, string Text);

/// <summary>One edit of a directive: its revision (1 for the first edit), when, who, why, and each change.</summary>
public sealed record DirectiveChange(int Revision, DateTimeOffset At, string By, string Reason, IReadOnlyList<ChangeLine> Lines)
{
    /// <summary>The lines that concern <paramref name="unit"/>.</summary>
    public IReadOnlyList<ChangeLine> For(UnitId unit) => Lines.Where(l => l.Units.Contains(unit)).ToList();
}

/// <summary>
/// An edit applied: the directive before and after, the change to record, the assignments added
/// and taken off, and the tasks whose ladder must follow a new deadline (extended, set, or added).
/// </summary>
public sealed record DirectiveEdited(Directive Before, Directive After, DirectiveChange Change, IReadOnlyList<AssignmentKey> Added, IReadOnlyList<AssignmentKey> Removed, IReadOnlyList<TaskId> NewDeadlines);

/// <summary>
/// The rules of editing a directive after registration (pure: no storage). Everything is validated
/// at once, with paths like registration's (<c>tasks[0].deadline</c>, <c>newTasks[0].title</c>);
/// nothing is changed unless everything is right. A deadline only moves later ("gia hạn"); a task
/// keeps at least one unit (cancel it instead); a cancelled task is not edited again; the
/// directive keeps at most <see cref="DirectiveRegistration.MaxTasks"/> tasks.
/// </summary>
public static class DirectiveEdits
{
    public const int MaxReasonLength = 500;

    /// <summary>Most assignments one edit adds or takes off: they are saved in one transaction with the directive.</summary>
    public const int MaxAssignmentsPerEdit = 90;

    public static Result<DirectiveEdited> Apply(
        Directive before, DirectiveEditInput input, UnitTree units, string by, DateTimeOffset now, WorkingCalendar calendar, Func<TemplateId, ReportTemplate?>? templates = null)
    {
        var v = new Validation();
        var lines = new List<ChangeLine>();
        var everyone = before.AssignedUnits.ToList();
        var reason = v.Take(Text.Clean(input.Reason, "reason", MaxReasonLength, required: false), "reason") ?? string.Empty;

        var number = Correct(input.Number, before.Number, "number", 60, "Sửa số công văn", v, lines, everyone);
        var issuer = Correct(input.Issuer, before.Issuer, "issuer", 200, "Sửa cơ quan ban hành", v, lines, everyone);
        var subject = Correct(input.Subject, before.Subject, "subject", 500, "Sửa trích yếu", v, lines, everyone);
        var issuedOn = before.IssuedOn;
        if (!string.IsNullOrWhiteSpace(input.IssuedOn))
        {
            if (!VietnamTime.TryParseIsoOrWritten(input.IssuedOn, out var day))
            {
                v.Add("issuedOn", "invalid-date", $"Không đọc được ngày ban hành “{Text.SingleLine(input.IssuedOn)}”. Ghi ngày/tháng/năm, ví dụ 05/02/2026.");
            }
            else if (day != before.IssuedOn)
            {
                lines.Add(new ChangeLine(DirectiveChangeKind.Corrected, null, everyone, VietnamTime.Format(before.IssuedOn), VietnamTime.Format(day), $"Sửa ngày ban hành: {VietnamTime.Format(before.IssuedOn)} → {VietnamTime.Format(day)}"));
                issuedOn = day;
            }
        }

        var tasks = before.Tasks.ToList();
        var added = new List<AssignmentKey>();
        var removed = new List<AssignmentKey>();
        var newDeadlines = new List<TaskId>();
        var needsReason = false;
        var edits = input.Tasks ?? [];
        var seen = new HashSet<TaskId>();
        for (var i = 0; i < edits.Count; i++)
        {
            var path = $"tasks[{i.ToString(CultureInfo.InvariantCulture)}]";
            var edit = edits[i];
            if (edit is null)
            {
                continue;
            }

            var id = TaskId.Parse(edit.Id);
            var index = id.IsSuccess ? tasks.FindIndex(t => t.Id == id.Value) : -1;
            if (index < 0 || !seen.Add(id.Value))
            {
                v.Add($"{path}.id", "task-not-found", index < 0 ? "Công văn không có nhiệm vụ này." : "Mỗi nhiệm vụ chỉ sửa một lần trong một lần lưu.");
                continue;
            }

            var task = tasks[index];
            var wantsChange = edit.Cancel || !string.IsNullOrWhiteSpace(edit.Deadline) || edit.AddUnits is { Count: > 0 } || edit.RemoveUnits is { Count: > 0 };
            if (!wantsChange)
            {
                continue;
            }

            if (task.Cancelled is not null)
            {
                v.Add($"{path}.id", "task-cancelled", $"Nhiệm vụ {Number(task)} đã hủy; không sửa được nữa.");
                continue;
            }

            var label = $"nhiệm vụ {Number(task)} “{Short(task.Title)}”";
            if (edit.Cancel)
            {
                needsReason = true;
                task = task with { Cancelled = new TaskCancellation(now, by, reason) };
                lines.Add(new ChangeLine(DirectiveChangeKind.TaskCancelled, task.Id, task.Units.ToList(), null, null, $"Hủy {label}"));
                tasks[index] = task;
                continue;
            }

            if (!string.IsNullOrWhiteSpace(edit.Deadline))
            {
                var due = v.Take(DirectiveRegistration.ParseDue(new TaskInput(task.Title, null, edit.Deadline, null), path, calendar), $"{path}.deadline");
                if (due is not null)
                {
                    if (task.Deadline is { } old && due.Deadline <= old)
                    {
                        v.Add($"{path}.deadline", "not-later", $"Hạn mới phải sau hạn hiện tại ({old.Display}); chỉ gia hạn được, không rút ngắn hạn.");
                    }
                    else
                    {
                        var extended = task.Deadline is not null;
                        needsReason |= extended;
                        lines.Add(new ChangeLine(
                            extended ? DirectiveChangeKind.DeadlineExtended : DirectiveChangeKind.DeadlineSet,
                            task.Id,
                            task.Units.ToList(),
                            task.Deadline?.Display,
                            due.Deadline.Display,
                            extended ? $"Gia hạn {label} từ {task.Deadline!.Value.Display} đến {due.Deadline.Display}" : $"Đặt hạn cho {label}: {due.Deadline.Display}"));
                        task = task with { Deadline = due.Deadline, Term = due.Term, Extensions = task.Extensions + (extended ? 1 : 0) };
                        newDeadlines.Add(task.Id);
                    }
                }
            }

            if (edit.RemoveUnits is { Count: > 0 } removals)
            {
                var off = new List<UnitId>();
                for (var k = 0; k < removals.Count; k++)
                {
                    var field = $"{path}.removeUnits[{k.ToString(CultureInfo.InvariantCulture)}]";
                    var unit = UnitId.Parse(removals[k], field);
                    if (!unit.IsSuccess || !task.Units.Contains(unit.Value))
                    {
                        v.Add(field, "not-assigned", $"Đơn vị '{Text.SingleLine(removals[k] ?? string.Empty)}' không được giao {label}.");
                    }
                    else if (!off.Contains(unit.Value))
                    {
                        off.Add(unit.Value);
                    }
                }

                if (off.Count > 0 && off.Count == task.Units.Count && edit.AddUnits is not { Count: > 0 })
                {
                    v.Add($"{path}.removeUnits", "no-unit-left", $"Không bỏ được mọi đơn vị của {label}; nếu không giao nữa, xin hủy nhiệm vụ.");
                }
                else if (off.Count > 0)
                {
                    needsReason = true;
                    var withdrawn = new Dictionary<UnitId, UnitWithdrawal>(task.Withdrawn);
                    foreach (var unit in off)
                    {
                        withdrawn[unit] = new UnitWithdrawal(now, by, reason);
                        removed.Add(new AssignmentKey(before.Id, task.Id, unit));
                    }

                    task = task with
                    {
                        Units = task.Units.Where(u => !off.Contains(u)).ToList(),
                        Roles = task.Roles.Where(r => !off.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value),
                        Withdrawn = withdrawn,
                    };
                    lines.Add(new ChangeLine(DirectiveChangeKind.UnitsRemoved, task.Id, off, null, null, $"Bỏ đơn vị khỏi {label}: {Names(off, units)}"));
                }
            }

            if (edit.AddUnits is { Count: > 0 } additions)
            {
                var (found, roles) = DirectiveRegistration.ResolveUnitsWithRoles(new TaskInput(null, null, null, additions) { Roles = edit.AddRoles }, units, $"{path}.addUnits", v);
                var fresh = found.Where(u => !task.Units.Contains(u)).ToList();
                if (fresh.Count > 0)
                {
                    task = task with
                    {
                        Units = [.. task.Units, .. fresh],
                        Roles = task.Roles.Concat(roles.Where(r => fresh.Contains(r.Key))).ToDictionary(r => r.Key, r => r.Value),
                        Withdrawn = task.Withdrawn.Where(w => !fresh.Contains(w.Key)).ToDictionary(w => w.Key, w => w.Value),
                    };
                    if (task.Statistics is { Coverage: Coverage.Branch } spec)
                    {
                        task = task with { Statistics = spec with { CoveredBy = StatisticsSpec.Covered(task.Units.ToList(), units) } };
                    }

                    added.AddRange(fresh.Select(u => new AssignmentKey(before.Id, task.Id, u)));
                    var named = fresh.Select(u => roles.TryGetValue(u, out var role) ? $"{Name(u, units)} ({UnitRoles.Name(role).ToLowerInvariant()})" : Name(u, units));
                    lines.Add(new ChangeLine(DirectiveChangeKind.UnitsAdded, task.Id, fresh, null, null, $"Thêm đơn vị vào {label}: {string.Join(", ", named)}"));
                    if (task.Escalates && !newDeadlines.Contains(task.Id))
                    {
                        newDeadlines.Add(task.Id);
                    }
                }
            }

            tasks[index] = task;
        }

        if (input.NewTasks is { Count: > 0 } newTasks)
        {
            if (tasks.Count + newTasks.Count > DirectiveRegistration.MaxTasks)
            {
                v.Add("newTasks", "too-many", $"Một công văn có tối đa {DirectiveRegistration.MaxTasks} nhiệm vụ.");
            }
            else
            {
                var header = new DirectiveInput(before.Number, VietnamTime.Format(before.IssuedOn), before.Issuer, before.Subject, newTasks);
                var registered = DirectiveRegistration.Register(header, units, before.Id, now, calendar, templates);
                if (!registered.IsSuccess)
                {
                    v.AddRange(registered.Error!.Fields.Select(f => f with { Field = f.Field.StartsWith("tasks", StringComparison.Ordinal) ? "newTasks" + f.Field["tasks".Length..] : f.Field }));
                }
                else
                {
                    foreach (var task in registered.Value.Tasks.Select((t, k) => t with { Id = TaskId.ForIndex(tasks.Count + k) }).ToList())
                    {
                        tasks.Add(task);
                        added.AddRange(task.Units.Select(u => new AssignmentKey(before.Id, task.Id, u)));
                        if (task.Escalates)
                        {
                            newDeadlines.Add(task.Id);
                        }

                        lines.Add(new ChangeLine(DirectiveChangeKind.TaskAdded, task.Id, task.Units.ToList(), null, task.Title,
                            $"Thêm nhiệm vụ {Number(task)} “{Short(task.Title)}”, {task.DeadlineText}, giao cho: {string.Join(", ", task.Units.Select(u => task.RoleOf(u) is { } role ? $"{Name(u, units)} ({UnitRoles.Name(role).ToLowerInvariant()})" : Name(u, units)))}"));
                    }
                }
            }
        }

        if (needsReason && reason.Length == 0)
        {
            v.Add("reason", "required", "Xin ghi lý do: gia hạn, hủy nhiệm vụ hay bỏ đơn vị đều cần lý do để báo cho các đơn vị.");
        }

        if (!v.HasErrors && lines.Count == 0)
        {
            v.Add("reason", "nothing-changed", "Chưa có thay đổi nào để lưu.");
        }

        if (v.HasErrors)
        {
            return v.ToError();
        }

        var after = before with { Number = number, IssuedOn = issuedOn, Issuer = issuer, Subject = subject, Tasks = tasks, Revision = before.Revision + 1 };
        return new DirectiveEdited(before, after, new DirectiveChange(after.Revision, now, by, reason, lines), added, removed, newDeadlines);
    }

    /// <summary>The task's number as the office lists it: "2" for <c>t2</c>.</summary>
    public static string Number(DirectiveTask task) => task.Id.Value[1..];

    private static string Correct(string? typed, string current, string field, int max, string what, Validation v, List<ChangeLine> lines, IReadOnlyList<UnitId> everyone)
    {
        if (typed is null || typed.Trim().Length == 0)
        {
            return current;
        }

        var clean = v.Take(Text.Clean(typed, field, max), field);
        if (clean is null || clean == current)
        {
            return current;
        }

        lines.Add(new ChangeLine(DirectiveChangeKind.Corrected, null, everyone, current, clean, $"{what}: {current} → {clean}"));
        return clean;
    }

    private static string Short(string title) => title.Length <= 80 ? title : title[..(title.LastIndexOf(' ', 79) is > 30 and var cut ? cut : 79)] + "…";

    private static string Name(UnitId unit, UnitTree units) => units.Find(unit)?.Name ?? unit.Value;

    private static string Names(IEnumerable<UnitId> list, UnitTree units) => string.Join(", ", list.Select(u => Name(u, units)));
}
