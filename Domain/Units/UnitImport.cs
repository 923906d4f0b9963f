using System.Text;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Units;

/// <summary>What importing one line would do.</summary>
public enum ImportAction
{
    Create,
    Update,
    Unchanged,
    Invalid,
}

public sealed record ImportLine(int Line, string? UnitId, ImportAction Action, Unit? Unit, IReadOnlyList<FieldError> Errors, Unit? Previous = null);

/// <summary>The plan for a unit list: each line's action; it may be applied only when no line is invalid.</summary>
public sealed record ImportPlan(IReadOnlyList<ImportLine> Lines)
{
    public bool CanApply => Lines.Count > 0 && Lines.All(l => l.Action != ImportAction.Invalid);

    public IEnumerable<Unit> Changes => Lines.Where(l => l.Action is ImportAction.Create or ImportAction.Update).Select(l => l.Unit!);

    /// <summary>The changes as writes: what each unit was (null when new) and what it becomes.</summary>
    public IEnumerable<UnitSaved> Saved => Lines.Where(l => l.Action is ImportAction.Create or ImportAction.Update)
        .Select(l => new UnitSaved(l.Previous is null ? UnitPut.Created : UnitPut.Replaced, l.Previous, l.Unit!));

    public int Count(ImportAction action) => Lines.Count(l => l.Action == action);
}

/// <summary>
/// A unit list as offices keep it — CSV with a header row (<c>id, name, level, parent, email</c>,
/// optionally <c>kind, phone, contact</c>; Vietnamese headers accepted too; an email cell may hold
/// several addresses; the level is empty for bodies that are not party organisations), comma or semicolon separated, UTF-8 with or without BOM,
/// quoted fields — turned into a plan against the existing units. Parents may be defined
/// later in the same file; the whole result must form a valid tree.
/// </summary>
public static class UnitImport
{
    public const int MaxLines = 20_000;

    private static readonly string[] RequiredColumns = ["id", "name", "level", "email"];

    private static readonly Dictionary<string, string> HeaderAliases = new(StringComparer.Ordinal)
    {
        ["id"] = "id", ["ma"] = "id", ["ma don vi"] = "id",
        ["name"] = "name", ["ten"] = "name", ["ten don vi"] = "name",
        ["level"] = "level", ["cap"] = "level",
        ["parent"] = "parent", ["parentid"] = "parent", ["cap tren"] = "parent", ["ma cap tren"] = "parent", ["truc thuoc"] = "parent",
        ["email"] = "email", ["emails"] = "email", ["thu dien tu"] = "email",
        ["kind"] = "kind", ["loai"] = "kind", ["loai don vi"] = "kind",
        ["phone"] = "phone", ["dien thoai"] = "phone", ["so dien thoai"] = "phone",
        ["contact"] = "contact", ["nguoi lien he"] = "contact", ["bi thu"] = "contact",
    };

    public static Result<ImportPlan> Plan(string csv, IEnumerable<Unit> existing)
    {
        var rows = Csv.Parse(csv.TrimStart('\uFEFF'));
        if (rows.Count < 2)
        {
            return Error.Validation("file", "empty", "Tệp không có dòng dữ liệu nào (cần một dòng tiêu đề và ít nhất một đơn vị).");
        }

        if (rows.Count - 1 > MaxLines)
        {
            return Error.Validation("file", "too-many-lines", $"Tệp có quá {MaxLines} dòng.");
        }

        var columns = rows[0].Select(h => HeaderAliases.GetValueOrDefault(Text.Fold(h))).ToList();
        var missing = RequiredColumns.Where(c => !columns.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            return Error.Validation("file", "missing-columns", $"Thiếu cột: {string.Join(", ", missing)}. Dòng đầu phải là: id, name, level, parent, email.");
        }

        string? Cell(IReadOnlyList<string> row, string column)
        {
            var index = columns.IndexOf(column);
            return index >= 0 && index < row.Count ? row[index] : null;
        }

        var current = existing.ToDictionary(u => u.Id);

        // A column the file does not have keeps what the unit has; the unit's state is the office's, never the file's.
        Result<Unit> Line(UnitId id, IReadOnlyList<string> row)
        {
            var before = current.GetValueOrDefault(id);
            if (before is { State: UnitState.Merged })
            {
                return Error.Validation("id", "unit-merged", $"Đơn vị '{before.Name}' đã sáp nhập vào đơn vị mã '{before.MergedInto}'; bỏ dòng này khỏi tệp.");
            }

            string? Kept(string column, string? existingValue) => columns.Contains(column) ? Cell(row, column) : existingValue;
            var unit = Unit.Create(id, new UnitInput(
                Cell(row, "name"),
                Cell(row, "level"),
                Cell(row, "parent"),
                [Cell(row, "email")],
                Kept("kind", before is null ? null : UnitKinds.Code(before.Kind)),
                Kept("phone", before?.Phone),
                Kept("contact", before?.Contact)));
            return unit.IsSuccess && before is not null ? unit.Value with { State = before.State } : unit;
        }
        var parsed = new List<(int Line, string? Id, Result<Unit> Unit)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var rawId = Cell(row, "id")?.Trim();
            var id = UnitId.Parse(rawId, "id");
            var unit = id.IsSuccess ? Line(id.Value, row) : Result<Unit>.Failure(id.Error!);
            if (unit.IsSuccess && !seen.Add(unit.Value.Id.Value))
            {
                unit = Error.Validation("id", "duplicate-id", $"Mã '{unit.Value.Id}' xuất hiện nhiều lần trong tệp.");
            }

            parsed.Add((i + 1, rawId, unit));
        }

        // Check placement against the tree as it would be once every valid line is applied.
        var merged = new Dictionary<UnitId, Unit>(current);
        foreach (var (_, _, unit) in parsed.Where(p => p.Unit.IsSuccess))
        {
            merged[unit.Value.Id] = unit.Value;
        }

        var tree = new UnitTree(merged.Values);
        var lines = parsed.Select(p =>
        {
            if (!p.Unit.IsSuccess)
            {
                return new ImportLine(p.Line, p.Id, ImportAction.Invalid, null, p.Unit.Error!.Fields);
            }

            var unit = p.Unit.Value;
            var placement = tree.CheckPlacement(unit);
            if (!placement.IsSuccess)
            {
                return new ImportLine(p.Line, p.Id, ImportAction.Invalid, unit, placement.Error!.Fields);
            }

            var action = !current.TryGetValue(unit.Id, out var before) ? ImportAction.Create
                : before == unit ? ImportAction.Unchanged
                : ImportAction.Update;
            return new ImportLine(p.Line, p.Id, action, unit, [], before);
        }).ToList();

        return new ImportPlan(lines);
    }

    /// <summary>RFC 4180 CSV with either ',' or ';' as separator (decided by the header line).</summary>
    internal static class Csv
    {
        public static List<List<string>> Parse(string text)
        {
            var firstLine = text.AsSpan(0, Math.Max(0, text.IndexOfAny(['\r', '\n']) is var end and >= 0 ? end : text.Length));
            var separator = firstLine.Count(';') > firstLine.Count(',') ? ';' : ',';
            var rows = new List<List<string>>();
            var row = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"' && field.Length == 0)
                {
                    quoted = true;
                }
                else if (c == separator)
                {
                    row.Add(field.ToString());
                    field.Clear();
                }
                else if (c is '\r' or '\n')
                {
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row);
                    row = [];
                }
                else
                {
                    field.Append(c);
                }
            }

            if (field.Length > 0 || row.Count > 0)
            {
                row.Add(field.ToString());
                rows.Add(row);
            }

            return rows;
        }
    }
}
