using System.Globalization;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>A task as the office enters it; <see cref="Remind"/> false is "không nhắc": its lateness is recorded, nothing is sent about it.</summary>
public sealed record TaskInput(string? Title, string? Kind, string? Deadline, IReadOnlyList<string>? Units, bool Remind = true);

public sealed record DirectiveInput(string? Number, string? IssuedOn, string? Issuer, string? Subject, IReadOnlyList<TaskInput>? Tasks);

/// <summary>
/// Registers a directive from the office's input, validating every field at once (paths such as
/// <c>tasks[0].deadline</c>). A unit reference <c>id</c> names that unit; <c>id/*</c> names it and
/// every unit under it. Deadlines: ISO dates or date-times with offset (the API), or dd/MM/yyyy
/// and the dispatch's own words ("trước ngày 26/02/2026").
/// </summary>
public static class DirectiveRegistration
{
    public const int MaxTasks = 50;
    public const string DescendantsSuffix = "/*";

    public static Result<Directive> Register(DirectiveInput input, UnitTree units, DirectiveId id, DateTimeOffset now)
    {
        var v = new Validation();
        var number = v.Take(Text.Clean(input.Number, "number", 60), "number");
        var issuer = v.Take(Text.Clean(input.Issuer, "issuer", 200), "issuer");
        var subject = v.Take(Text.Clean(input.Subject, "subject", 500), "subject");
        var issuedOn = ParseDate(input.IssuedOn, "issuedOn", v);

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
                var title = v.Take(Text.Clean(task.Title, $"{path}.title", 300), $"{path}.title");
                var kind = v.Take(TaskKinds.Parse(task.Kind, $"{path}.kind"), $"{path}.kind");
                var deadline = v.Take(ParseDeadline(task.Deadline, $"{path}.deadline"), $"{path}.deadline");
                var assigned = ResolveUnits(task.Units, units, $"{path}.units", v);
                if (title is not null && deadline != default && assigned.Count > 0)
                {
                    tasks.Add(new DirectiveTask(TaskId.ForIndex(i), title, kind, deadline, assigned, task.Remind));
                }
            }
        }

        return v.HasErrors
            ? v.ToError()
            : new Directive(id, number!, issuedOn, issuer!, subject!, tasks, now);
    }

    /// <summary>An API deadline (ISO) or a written one (dd/MM/yyyy, "trước ngày …").</summary>
    public static Result<Deadline> ParseDeadline(string? text, string field)
    {
        var iso = Deadline.ParseIso(text, field);
        return iso.IsSuccess ? iso : Deadline.ParseWritten(text, field).Match(d => d, _ => Result<Deadline>.Failure(Error.Validation(field, "invalid-deadline",
            "Hạn phải là ngày dạng yyyy-MM-dd (API) hoặc dd/MM/yyyy, ví dụ 2026-02-25, 25/02/2026 hoặc \"trước ngày 26/02/2026\".")));
    }

    private static DateOnly ParseDate(string? text, string field, Validation v)
    {
        var value = (text ?? string.Empty).Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
        {
            return iso;
        }

        if (VietnamTime.TryParseDate(value, out var written))
        {
            return written;
        }

        v.Add(field, value.Length == 0 ? "required" : "invalid-date", "Ngày ban hành phải là ngày dạng yyyy-MM-dd hoặc dd/MM/yyyy.");
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
