using System.Globalization;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// A task as typed: its deadline written (<see cref="Deadline"/>), or — for programs — in working days as
/// <see cref="WorkingDays"/> from <see cref="CountFrom"/>; <see cref="Remind"/> false is "không nhắc":
/// its lateness is recorded, nothing is sent about it.
/// </summary>
public sealed record TaskInput(string? Title, string? Kind, string? Deadline, IReadOnlyList<string>? Units, string? WorkingDays = null, string? CountFrom = null, bool Remind = true)
{
    /// <summary>A statistics task's template, rules and coverage, as the office chose them (null: 643's).</summary>
    public StatisticsInput? Statistics { get; init; }

    /// <summary>
    /// Each unit reference's role, by the same index as <see cref="Units"/> (<c>chu-tri</c>,
    /// <c>phoi-hop</c>, or as written: "chủ trì"; null or shorter: none stated). A reference to a
    /// unit and all under it gives its role to each of them.
    /// </summary>
    public IReadOnlyList<string?>? Roles { get; init; }
}

/// <summary>
/// What the office chose for a statistics task: the template (<c>643</c> or an id from reading its
/// file), rows not above another (1-based, as the template lists them), whether totals are checked
/// as sums, blank cells (<c>zero</c> or <c>required</c>) and coverage (<c>branch</c> or <c>unit</c>).
/// A choice left out takes the template's suggestion.
/// </summary>
public sealed record StatisticsInput(string? Template, IReadOnlyList<(int Row, int Max)>? Bounds, bool? Totals, string? Blanks, string? Coverage);

public sealed record DirectiveInput(string? Number, string? IssuedOn, string? Issuer, string? Subject, IReadOnlyList<TaskInput>? Tasks);

/// <summary>Something the office is told when it registers a directive, about one of its tasks; the directive is created all the same.</summary>
public sealed record RegistrationWarning(TaskId Task, string Code, string Message);

/// <summary>
/// Registers a directive from the office's input, validating every field at once (paths such as
/// <c>tasks[0].deadline</c>). A unit reference <c>id</c> names that unit; <c>id/*</c> names it and
/// every unit under it. Deadlines: ISO dates or date-times with offset (the API), dd/MM/yyyy
/// and the dispatch's own words ("trước ngày 26/02/2026"), or working days ("05 ngày làm việc kể từ
/// ngày 13/02/2026", or <c>workingDays</c> and <c>countFrom</c>), whose last day is counted with
/// the calendar in force. A task may have no deadline at all (deadline left empty): it is tracked and
/// reported, never reminded about nor escalated.
/// </summary>
public static class DirectiveRegistration
{
    public const int MaxTasks = 50;

    /// <summary>A task's title: room for a dispatch item's whole text (the longest of the seeds' is 345 characters).</summary>
    public const int MaxTitleLength = 400;
    public const string DescendantsSuffix = "/*";

    /// <summary>How a deadline is written, for the messages that ask for one (dates as people write them; programs may send ISO dates too).</summary>
    private const string HowToWriteDeadline = "Ghi ngày/tháng/năm, ví dụ 25/02/2026, “trước ngày 26/02/2026” hoặc “05 ngày làm việc kể từ ngày 13/02/2026”.";

    public static Result<Directive> Register(DirectiveInput input, UnitTree units, DirectiveId id, DateTimeOffset now, WorkingCalendar calendar, Func<TemplateId, ReportTemplate?>? templates = null)
    {
        templates ??= t => t.IsBuiltIn ? ReportTemplate.Official643 : null;
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
                var undated = IsUndated(task);
                var due = undated ? null : v.Take(ParseDue(task, path, calendar), $"{path}.deadline");
                var (assigned, roles) = ResolveUnitsWithRoles(task, units, $"{path}.units", v);
                var statistics = kind == TaskKind.Statistics ? Statistics(task.Statistics, templates, units, assigned, path, v) : null;
                if (title is not null && (undated || due is not null) && assigned.Count > 0)
                {
                    tasks.Add(new DirectiveTask(TaskId.ForIndex(i), title, kind, due?.Deadline, assigned, due?.Term, task.Remind) { Statistics = statistics, Roles = roles });
                }
            }
        }

        return v.HasErrors
            ? v.ToError()
            : new Directive(id, number!, issuedOn, issuer!, subject!, tasks, now);
    }

    /// <summary>A statistics task's template, rules and coverage, each choice checked against the template; and, for whole branches, which assigned units lie under another.</summary>
    private static StatisticsSpec? Statistics(StatisticsInput? input, Func<TemplateId, ReportTemplate?> templates, UnitTree units, List<UnitId> assigned, string path, Validation v)
    {
        var id = v.Take(TemplateId.Parse(string.IsNullOrWhiteSpace(input?.Template) ? TemplateId.Official643Value : input.Template.Trim(), $"{path}.template"), $"{path}.template");
        if (id == default)
        {
            return null;
        }

        if (templates(id) is not { } template)
        {
            v.Add($"{path}.template", "unknown-template", "Không có mẫu báo cáo này; hãy chọn mẫu có sẵn hoặc tải lên tệp mẫu của công văn.");
            return null;
        }

        var suggested = template.SuggestedRules;
        var blanks = input?.Blanks switch
        {
            null or "" => suggested.Blanks,
            "zero" => BlankCells.Zero,
            "required" => BlankCells.Required,
            _ => (BlankCells?)null,
        };
        if (blanks is null)
        {
            v.Add($"{path}.rules.blanks", "invalid-blanks", "Ô để trống phải là 'zero' (tính là 0) hoặc 'required' (phải điền).");
        }

        var coverage = input?.Coverage switch
        {
            null or "" or "branch" => Coverage.Branch,
            "unit" => Coverage.Unit,
            _ => (Coverage?)null,
        };
        if (coverage is null)
        {
            v.Add($"{path}.coverage", "invalid-coverage", "Phạm vi số liệu phải là 'branch' (gồm cả đơn vị trực thuộc) hoặc 'unit' (chỉ riêng đơn vị).");
        }

        var bounds = input?.Bounds is { } given ? given.Select(b => new RowBound(b.Row - 1, b.Max - 1)).ToList() : suggested.Bounds;
        var rules = v.Take(TemplateRules.Check(new TemplateRules(bounds, input?.Totals ?? suggested.TotalsAreSums, blanks ?? BlankCells.Zero), template, $"{path}.rules"), $"{path}.rules");
        if (rules is null || coverage is null)
        {
            return null;
        }

        return new StatisticsSpec(id, rules, coverage.Value) { CoveredBy = coverage == Coverage.Branch ? StatisticsSpec.Covered(assigned, units) : new Dictionary<UnitId, UnitId>() };
    }

    /// <summary>
    /// What the office should know before it creates the directive: for a statistics task whose figures
    /// cover whole branches, the assigned units that lie under another assigned unit — their files are
    /// shown but not added again.
    /// </summary>
    public static IReadOnlyList<RegistrationWarning> Warnings(Directive directive, UnitTree units)
    {
        var warnings = new List<RegistrationWarning>();
        foreach (var task in directive.Tasks)
        {
            if (task.Statistics is not { CoveredBy.Count: > 0 } spec)
            {
                continue;
            }

            string Name(UnitId u) => units.Find(u)?.Name ?? u.Value;
            var examples = spec.CoveredBy.Take(3).Select(c => $"“{Name(c.Key)}” thuộc “{Name(c.Value)}”");
            var more = spec.CoveredBy.Count > 3 ? $" và {spec.CoveredBy.Count - 3} đơn vị khác" : string.Empty;
            warnings.Add(new RegistrationWarning(
                task.Id,
                "covered-units",
                $"Nhiệm vụ “{task.Title}”: {spec.CoveredBy.Count} đơn vị được giao nằm trong đơn vị khác cũng được giao ({string.Join(", ", examples)}{more}). Số liệu của đơn vị cấp trên đã gồm cả các đơn vị trực thuộc, nên tệp của các đơn vị này chỉ được hiển thị, không cộng thêm vào tổng hợp."));
        }

        return warnings;
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

    /// <summary>Whether a task is given without any deadline (no date, no term): tracked, never reminded.</summary>
    public static bool IsUndated(TaskInput task) =>
        string.IsNullOrWhiteSpace(task.Deadline) && task.WorkingDays is null && task.CountFrom is null;

    /// <summary>The units a task's references name, each with the role its reference gives (<see cref="TaskInput.Roles"/>).</summary>
    public static (List<UnitId> Units, Dictionary<UnitId, UnitRole> Roles) ResolveUnitsWithRoles(TaskInput task, UnitTree units, string field, Validation v)
    {
        var roles = new Dictionary<UnitId, UnitRole>();
        var all = new List<UnitId>();
        var references = task.Units ?? [];
        if (task.Roles is not { Count: > 0 } given || references.Count == 0)
        {
            return (ResolveUnits(references, units, field, v), roles);
        }

        // Resolved one reference at a time, so each unit takes the role of the reference that first named it.

        for (var i = 0; i < references.Count; i++)
        {
            var itemField = $"{field}[{i.ToString(CultureInfo.InvariantCulture)}]";
            var role = v.Take(UnitRoles.Parse(i < given.Count ? given[i] : null, $"{itemField}.role"), $"{itemField}.role");
            var inner = new Validation();
            foreach (var unit in ResolveUnits([references[i]], units, field, inner).Where(u => !all.Contains(u)))
            {
                all.Add(unit);
                if (role is { } r)
                {
                    roles[unit] = r;
                }
            }

            v.AddRange(inner.Errors.Select(e => e with { Field = e.Field.Replace($"{field}[0]", itemField, StringComparison.Ordinal) }));
        }

        return (all, roles);
    }

    public static List<UnitId> ResolveUnits(IReadOnlyList<string>? references, UnitTree units, string field, Validation v)
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

            if (units.Find(id.Value) is not { } named)
            {
                v.Add(itemField, "unknown-unit", $"Không có đơn vị mã '{id.Value}'.");
                continue;
            }

            if (named.State == UnitState.Inactive)
            {
                v.Add(itemField, "inactive-unit", $"Đơn vị '{named.Name}' đã ngừng hoạt động, không nhận nhiệm vụ mới.");
                continue;
            }

            // A merged unit's tasks go to the unit it was merged into; stopped and merged units under a branch receive nothing.
            var found = withDescendants
                ? units.SelfAndDescendants(id.Value).Where(u => u.IsActive).ToList()
                : units.Receiver(id.Value) is { IsActive: true } receiver ? [receiver] : [];
            if (found.Count == 0)
            {
                v.Add(itemField, "unknown-unit", $"Đơn vị '{named.Name}' đã sáp nhập nhưng đơn vị nhận thay không còn hoạt động.");
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
