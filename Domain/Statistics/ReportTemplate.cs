using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Statistics;

/// <summary>
/// A report template's id: <c>643</c> for the ready-made template of dispatch 643-CV/ĐU, else
/// <c>m</c> and 24 hex digits of the SHA-256 of the office's file — the same file read twice is the
/// same template, so previewing it again stores nothing new.
/// </summary>
public readonly partial record struct TemplateId
{
    public const string Official643Value = "643";

    private TemplateId(string value) => Value = value;

    public string Value { get; }

    public static TemplateId Official643 { get; } = new(Official643Value);

    public bool IsBuiltIn => Value == Official643Value;

    public static TemplateId OfContent(ReadOnlySpan<byte> file) =>
        new("m" + Convert.ToHexStringLower(SHA256.HashData(file))[..24]);

    public static Result<TemplateId> Parse(string? text, string field = "template") =>
        text is not null && Grammar().IsMatch(text)
            ? new TemplateId(text)
            : Error.Validation(field, "unknown-template", "Không có mẫu báo cáo này; hãy chọn mẫu có sẵn hoặc tải lên tệp mẫu của công văn.");

    public override string ToString() => Value;

    [GeneratedRegex("^(643|m[0-9a-f]{24})$")]
    private static partial Regex Grammar();
}

/// <summary>One row of a template's table: its STT as written ("1", "I", "1.1", or empty), its label, where it sits, and whether it is the total row.</summary>
public sealed record TemplateRow(string Stt, string Label, int SheetRow, bool IsTotal);

/// <summary>
/// One figure column: its label, under a group when the header has two rows ("Năm 2025" over
/// "Nam", "Nữ"), where it sits, and whether it is the total column.
/// </summary>
public sealed record TemplateColumn(string? Group, string Label, int SheetColumn, bool IsTotal)
{
    /// <summary>The column as people name it: "Năm 2025 – Nam", or the label alone.</summary>
    public string Name => Group is null ? Label : $"{Group} – {Label}";

    /// <summary>The folded key the upload's header is matched against: group and label joined by '|'.</summary>
    public string Key => Group is null ? ReportTemplate.Key(Label) : ReportTemplate.Key(Group) + "|" + ReportTemplate.Key(Label);
}

/// <summary>A cell of a template's grid, by its row and column in the template (0-based), not in a sheet.</summary>
public readonly record struct GridCell(int Row, int Column);

/// <summary>What a cell of the grid takes: a figure the unit enters, a sum checked against its parts, or nothing (marked "x" or "-" in the template).</summary>
public enum CellKind
{
    Figure,
    Total,
    NotApplicable,
}

/// <summary>
/// A report template as the office attached it to a dispatch: the sheet and the table in it —
/// its header row(s), the STT and "Nội dung" columns, the rows and the figure columns, a total
/// row or column if there is one, and the cells marked as not applicable. Read from the office's
/// blank file by <see cref="TemplateReader"/>; uploads are matched against it by their labels
/// (<see cref="StatisticsParser"/>), never by fixed cell addresses.
/// </summary>
public sealed record ReportTemplate(
    TemplateId Id,
    string Title,
    string SheetName,
    int HeaderRow,
    int HeaderRowCount,
    int SttColumn,
    int LabelColumn,
    string LabelHeader,
    IReadOnlyList<TemplateRow> Rows,
    IReadOnlyList<TemplateColumn> Columns,
    IReadOnlyList<GridCell> NotApplicable)
{
    /// <summary>Header labels are short; longer text (a title, a note) cannot be one and is not folded.</summary>
    public const int MaxHeaderLabelLength = 80;

    /// <summary>Each column's <see cref="TemplateColumn.Key"/> and its label's alone, folded once (a template never changes).</summary>
    internal IReadOnlyList<(string Full, string Label)> ColumnKeys { get; } = Columns.Select(c => (c.Key, Key(c.Label))).ToList();

    /// <summary>The label header's key, folded once.</summary>
    internal string LabelHeaderKey { get; } = Key(LabelHeader);

    public int RowCount => Rows.Count;

    public int ColumnCount => Columns.Count;

    /// <summary>The total row's index, if the template has one.</summary>
    public int? TotalRow => Rows.Select((r, i) => (r, i)).Where(x => x.r.IsTotal).Select(x => (int?)x.i).FirstOrDefault();

    /// <summary>The total column's index, if the template has one.</summary>
    public int? TotalColumn => Columns.Select((c, i) => (c, i)).Where(x => x.c.IsTotal).Select(x => (int?)x.i).FirstOrDefault();

    public bool HasTotals => TotalRow is not null || TotalColumn is not null;

    /// <summary>What cell (<paramref name="row"/>, <paramref name="column"/>) takes under <paramref name="rules"/>: totals are sums only when the rules say so.</summary>
    public CellKind KindOf(int row, int column, TemplateRules rules)
    {
        if (NotApplicable.Contains(new GridCell(row, column)))
        {
            return CellKind.NotApplicable;
        }

        return rules.TotalsAreSums && (Rows[row].IsTotal || Columns[column].IsTotal) ? CellKind.Total : CellKind.Figure;
    }

    /// <summary>How many cells the unit fills under <paramref name="rules"/>.</summary>
    public int FigureCells(TemplateRules rules)
    {
        var count = 0;
        for (var r = 0; r < RowCount; r++)
        {
            for (var c = 0; c < ColumnCount; c++)
            {
                count += KindOf(r, c, rules) == CellKind.Figure ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>The rules offered first for a new template: blanks are 0, a total row or column is checked as a sum.</summary>
    public TemplateRules SuggestedRules => Id.IsBuiltIn ? TemplateRules.Official643 : new TemplateRules([], HasTotals, BlankCells.Zero);

    /// <summary>Row <paramref name="index"/> as people name it: "dòng 3 (“Số lượng…”)".</summary>
    public string RowName(int index) => $"dòng {(Rows[index].Stt.Length > 0 ? Rows[index].Stt : (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))} (“{Rows[index].Label}”)";

    /// <summary>A label folded for comparison: <see cref="Text.Fold"/>, no spaces around '/', no trailing punctuation.</summary>
    public static string Key(string? text) =>
        Text.Fold(text ?? string.Empty).Replace(" /", "/", StringComparison.Ordinal).Replace("/ ", "/", StringComparison.Ordinal).TrimEnd('.', ':', ';', ' ', '*');

    private static ReportTemplate? _official643;

    /// <summary>
    /// The ready-made template of dispatch 643-CV/ĐU (7 rows × the four levels), read once from the
    /// blank file shared with the office (<see cref="Official643File"/>) by the same reader as any
    /// office's template.
    /// </summary>
    public static ReportTemplate Official643 => _official643 ??= TemplateReader.Read(Official643File(), TemplateId.Official643).Value with
    {
        Title = StatisticsTemplate.Title + " — " + StatisticsTemplate.Subtitle,
    };

    /// <summary>The blank 643 template file (as the office shared it), kept in this assembly.</summary>
    public static byte[] Official643File()
    {
        using var stream = typeof(ReportTemplate).Assembly.GetManifestResourceStream("ServerlessWorkflow.Domain.Statistics.Templates.643.xlsx")
            ?? throw new InvalidOperationException("The 643 template is missing from the Domain assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>Whether a blank figure cell counts as 0 or must be filled.</summary>
public enum BlankCells
{
    Zero,
    Required,
}

/// <summary>Row <see cref="Row"/> may not exceed row <see cref="Limit"/> in the same column (both 0-based indices of the template's rows).</summary>
public sealed record RowBound(int Row, int Limit);

/// <summary>
/// The checks an office chooses for a template, from a short list: figures are whole non-negative
/// counts (always); some rows may not exceed another row of the same column; a total row or column
/// equals the sum of its parts; blank cells are 0 or must be filled.
/// </summary>
public sealed record TemplateRules(IReadOnlyList<RowBound> Bounds, bool TotalsAreSums, BlankCells Blanks)
{
    /// <summary>
    /// 643's rules: bank accounts (row 2), secretaries (4), deputy secretaries (5) and fee officers (6)
    /// cannot exceed the organisations of their column (row 1). Row 3 counts the committee's own
    /// administrator and operator accounts, of which a committee may have several (the shared filled
    /// sample has 2 for 1 organisation), so it is not bounded. Blank cells are 0.
    /// </summary>
    public static readonly TemplateRules Official643 = new([new(1, 0), new(3, 0), new(4, 0), new(5, 0)], false, BlankCells.Zero);

    /// <summary>The rules, checked against the template: bounds name rows it has, not a row against itself, not a total row when totals are sums.</summary>
    public static Result<TemplateRules> Check(TemplateRules rules, ReportTemplate template, string field)
    {
        var v = new Validation();
        foreach (var bound in rules.Bounds)
        {
            if (bound.Row < 0 || bound.Row >= template.RowCount || bound.Limit < 0 || bound.Limit >= template.RowCount)
            {
                v.Add($"{field}.bounds", "unknown-row", $"Mẫu chỉ có {template.RowCount} dòng; quy tắc “dòng không vượt quá dòng” phải chọn hai dòng của mẫu.");
            }
            else if (bound.Row == bound.Limit)
            {
                v.Add($"{field}.bounds", "same-row", "Quy tắc “dòng không vượt quá dòng” phải chọn hai dòng khác nhau.");
            }
        }

        if (rules.Bounds.Count > MaxBounds)
        {
            v.Add($"{field}.bounds", "too-many", $"Tối đa {MaxBounds} quy tắc “dòng không vượt quá dòng”.");
        }

        if (rules.TotalsAreSums && !template.HasTotals)
        {
            v.Add($"{field}.totals", "no-totals", "Mẫu không có dòng hay cột tổng để kiểm tra.");
        }

        return v.HasErrors ? v.ToError() : rules with { Bounds = rules.Bounds.Distinct().ToList() };
    }

    public const int MaxBounds = 20;

    /// <summary>The same checks: the same bounds in the same order, totals and blanks alike.</summary>
    public bool Equals(TemplateRules? other) =>
        other is not null && Bounds.SequenceEqual(other.Bounds) && TotalsAreSums == other.TotalsAreSums && Blanks == other.Blanks;

    public override int GetHashCode() => HashCode.Combine(Bounds.Count, TotalsAreSums, Blanks);
}

/// <summary>Whether a unit's figures cover its whole branch (a cơ sở reports for every organisation it contains, as in 643) or the unit alone.</summary>
public enum Coverage
{
    Branch,
    Unit,
}

/// <summary>
/// What a statistics task asks for: its template, the rules its figures are checked by, and whether
/// a unit's figures cover its branch. <see cref="CoveredBy"/> names, for a branch-covering task, each
/// assigned unit that lies under another assigned unit: its upload is shown but not added again.
/// </summary>
public sealed record StatisticsSpec(TemplateId Template, TemplateRules Rules, Coverage Coverage)
{
    public static readonly StatisticsSpec Official643 = new(TemplateId.Official643, TemplateRules.Official643, Coverage.Branch);

    public IReadOnlyDictionary<UnitId, UnitId> CoveredBy { get; init; } = new Dictionary<UnitId, UnitId>();

    /// <summary>Whether <paramref name="unit"/>'s figures are added to the totals (false: an assigned unit above it reports for it).</summary>
    public bool Counts(UnitId unit) => !CoveredBy.ContainsKey(unit);

    /// <summary>The assigned units under another assigned unit, for a branch-covering task: each with the nearest assigned unit above it.</summary>
    public static Dictionary<UnitId, UnitId> Covered(IReadOnlyList<UnitId> assigned, UnitTree tree)
    {
        var set = assigned.ToHashSet();
        var covered = new Dictionary<UnitId, UnitId>();
        foreach (var unit in assigned)
        {
            var seen = new HashSet<UnitId> { unit };
            for (var parent = tree.Find(unit)?.ParentId; parent is { } p && seen.Add(p); parent = tree.Find(p)?.ParentId)
            {
                if (set.Contains(p))
                {
                    covered[unit] = p;
                    break;
                }
            }
        }

        return covered;
    }
}

/// <summary>The templates a task can name: the ready-made 643 and those the office uploaded.</summary>
public interface ITemplateStore
{
    /// <summary>Keeps <paramref name="template"/> and its file; the same template saved again changes nothing.</summary>
    Task SaveAsync(ReportTemplate template, ReadOnlyMemory<byte> file, CancellationToken cancellationToken);

    Task<ReportTemplate?> GetAsync(TemplateId id, CancellationToken cancellationToken);

    Task<byte[]?> FileAsync(TemplateId id, CancellationToken cancellationToken);
}

/// <summary>Templates by id, the built-in 643 first, the office's from the store (kept in memory: a template never changes).</summary>
public sealed class ReportTemplates(ITemplateStore store)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TemplateId, ReportTemplate> _cache = new();

    public async Task<ReportTemplate?> GetAsync(TemplateId id, CancellationToken cancellationToken)
    {
        if (id.IsBuiltIn)
        {
            return ReportTemplate.Official643;
        }

        if (_cache.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var template = await store.GetAsync(id, cancellationToken);
        if (template is not null && _cache.Count < 1000)
        {
            _cache.TryAdd(id, template);
        }

        return template;
    }

    public async Task<byte[]?> FileAsync(TemplateId id, CancellationToken cancellationToken) =>
        id.IsBuiltIn ? ReportTemplate.Official643File() : await store.FileAsync(id, cancellationToken);

    /// <summary>Reads the office's file as a template and keeps it; the reasons it is not one otherwise.</summary>
    public async Task<Result<ReportTemplate>> AddAsync(ReadOnlyMemory<byte> file, CancellationToken cancellationToken)
    {
        var template = TemplateReader.Read(file);
        if (template.IsSuccess)
        {
            await store.SaveAsync(template.Value, file, cancellationToken);
            _cache.TryAdd(template.Value.Id, template.Value);
        }

        return template;
    }
}
