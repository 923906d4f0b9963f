using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Units;
using ServerlessWorkflow.Functions.Shared.Http;

namespace ServerlessWorkflow.Functions.Features.Units;

/// <summary>The office's unit form (add and edit), as typed: the addresses one a line (or separated by commas).</summary>
public sealed record UnitForm(string? Id, string? Name, string? Kind, string? Level, string? ParentId, string? Emails, string? Phone, string? Contact) : IRequestBody<UnitForm>
{
    public static readonly UnitForm Empty = new(null, null, null, null, null, null, null, null);

    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static UnitForm FromForm(IFormCollection form) =>
        new(form["id"], form["name"], form["kind"], form["level"], form["parentId"], form["emails"], form["phone"], form["contact"]);

    public static UnitForm Of(Unit unit) => new(
        unit.Id.Value, unit.Name, UnitKinds.Code(unit.Kind), unit.Level is { } level ? ((int)level).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty,
        unit.ParentId?.Value, string.Join('\n', unit.Emails.Select(e => e.Value)), unit.Phone, unit.Contact);

    /// <summary>The unit the form describes; a level chosen for a body without one is dropped (the form offers every level whatever the kind).</summary>
    public Result<Unit> ToUnit(UnitId id)
    {
        var kind = UnitKinds.Parse(Kind);
        var level = kind.IsSuccess && !UnitKinds.HasLevel(kind.Value) ? null : Level;
        return Unit.Create(id, new UnitInput(Name, level, ParentId, [Emails], Kind, Phone, Contact));
    }

    /// <summary>A field's name as the form labels it.</summary>
    public static string FieldName(string field) => field switch
    {
        "id" => "Mã đơn vị",
        "name" => "Tên đơn vị",
        "kind" => "Loại",
        "level" => "Cấp",
        "parentId" => "Đơn vị cấp trên",
        "email" or "emails" => "Email",
        "phone" => "Điện thoại",
        "contact" => "Bí thư hoặc người liên hệ",
        "state" => "Tình trạng",
        "into" => "Sáp nhập vào",
        _ => "Nội dung gửi lên",
    };
}

/// <summary>The state form: <c>ngung</c> stops a unit, <c>hoat-dong</c> lets it work again.</summary>
public sealed record UnitStateForm(string? Action) : IRequestBody<UnitStateForm>
{
    public const string Stop = "ngung";
    public const string Restart = "hoat-dong";

    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static UnitStateForm FromForm(IFormCollection form) => new(form["action"]);
}

/// <summary>The merge form: the unit that takes this one's future tasks.</summary>
public sealed record UnitMergeForm(string? Into) : IRequestBody<UnitMergeForm>
{
    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static UnitMergeForm FromForm(IFormCollection form) => new(form["into"]);
}

/// <summary>
/// The list's query: q (name, id, address or contact; diacritics and case do not matter), loai
/// (a kind), cap (a level 1–4, or <see cref="NoLevel"/>), tt (a state; by default every unit but
/// the merged ones). Unknown values are ignored.
/// </summary>
public sealed record UnitQuery(string? Search, UnitKind? Kind, UnitLevel? Level, bool WithoutLevel, UnitState? State)
{
    public const string NoLevel = "khong";

    public static readonly IReadOnlyList<(string Key, UnitState State)> States =
    [
        ("hoat-dong", UnitState.Active),
        ("ngung", UnitState.Inactive),
        ("sap-nhap", UnitState.Merged),
    ];

    public static UnitQuery Read(string? q, string? loai, string? cap, string? tt)
    {
        var search = (q ?? string.Empty).Trim();
        UnitKind? kind = string.IsNullOrEmpty(loai) ? null : UnitKinds.Parse(loai) is { IsSuccess: true } k ? k.Value : null;
        UnitLevel? level = cap is { Length: 1 } && UnitLevels.Parse(cap) is { IsSuccess: true } l ? l.Value : null;
        var state = States.FirstOrDefault(s => s.Key == tt);
        return new UnitQuery(search.Length is > 0 and <= 100 ? search : null, kind, level, cap == NoLevel, state.Key is null ? null : state.State);
    }

    public string? StateKey => States.FirstOrDefault(s => s.State == State).Key;

    public bool Matches(Unit unit)
    {
        if (Search is { } search)
        {
            var wanted = Text.Fold(search);
            if (!Text.Fold(unit.Name).Contains(wanted, StringComparison.Ordinal)
                && !unit.Id.Value.Contains(wanted, StringComparison.Ordinal)
                && !unit.Emails.Any(e => e.Value.Contains(search, StringComparison.OrdinalIgnoreCase))
                && !Text.Fold(unit.Contact).Contains(wanted, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return (Kind is null || unit.Kind == Kind)
            && (Level is null || unit.Level == Level)
            && (!WithoutLevel || unit.Level is null)
            && (State is { } state ? unit.State == state : unit.State != UnitState.Merged);
    }
}

/// <summary>A unit of the list, with its parent's name.</summary>
public sealed record UnitRow(Unit Unit, string? ParentName, int Children);

/// <summary>The units page: the rows the query asks for, the add form (open when it failed) and a notice.</summary>
public sealed record UnitListModel(IReadOnlyList<UnitRow> Rows, int AllUnits, UnitQuery Query, UnitForm Form, Error? Error, string? Notice, IReadOnlyList<Unit> Parents)
{
    public static UnitListModel Of(UnitTree tree, UnitQuery query, UnitForm form, Error? error, string? notice) => new(
        tree.All.Where(query.Matches)
            .OrderBy(u => u.Level ?? (UnitLevel)int.MaxValue).ThenBy(u => u.Kind).ThenBy(u => u.Name, VietnameseCollation.Instance)
            .Select(u => new UnitRow(u, u.ParentId is { } p ? tree.Find(p)?.Name ?? p.Value : null, tree.ChildrenOf(u.Id).Count))
            .ToList(),
        tree.All.Count(u => u.State != UnitState.Merged),
        query,
        form,
        error,
        notice,
        UnitPageModel.ParentChoices(tree, null));
}

/// <summary>One unit's page: its form (as typed when a save failed), its sub-units, the state and merge forms, and its history.</summary>
public sealed record UnitPageModel(Unit Unit, UnitTree Tree, IReadOnlyList<UnitHistoryEntry> History, UnitForm Form, Error? Error, string? FailedSection, string? Notice)
{
    public const string EditSection = "sua";
    public const string StateSection = "trang-thai";
    public const string MergeSection = "sap-nhap";

    public Error? ErrorFor(string section) => FailedSection == section ? Error : null;

    public IReadOnlyList<Unit> Parents => ParentChoices(Tree, Unit.Id);

    public IReadOnlyList<Unit> Children => Tree.ChildrenOf(Unit.Id).OrderBy(u => u.Name, VietnameseCollation.Instance).ToList();

    /// <summary>Where this unit's future tasks could go: every other working unit.</summary>
    public IReadOnlyList<Unit> MergeTargets =>
        Tree.All.Where(u => u.IsActive && u.Id != Unit.Id).OrderBy(u => u.Level ?? (UnitLevel)int.MaxValue).ThenBy(u => u.Name, VietnameseCollation.Instance).ToList();

    public string? MergedIntoName => Unit.MergedInto is { } into ? Tree.Find(into)?.Name ?? into.Value : null;

    /// <summary>The units a unit may be placed under: working ones (and the one it is under now), not itself nor one of its own sub-units; highest first.</summary>
    public static IReadOnlyList<Unit> ParentChoices(UnitTree tree, UnitId? self)
    {
        var below = self is { } id ? tree.SelfAndDescendants(id).Select(u => u.Id).ToHashSet() : [];
        var current = self is { } me ? tree.Find(me)?.ParentId : null;
        return tree.All.Where(u => (u.IsActive || u.Id == current) && !below.Contains(u.Id))
            .OrderBy(u => u.Level ?? (UnitLevel)int.MaxValue).ThenBy(u => u.Name, VietnameseCollation.Instance).ToList();
    }

    /// <summary>How a unit is named in a choice: its name and its level or kind.</summary>
    public static string Choice(Unit unit) => $"{unit.Name} ({unit.LevelOrKindName})";
}

/// <summary>The import form: a CSV file (or, when confirming a preview, the text previewed) and whether to apply it.</summary>
public sealed record UnitImportForm(string Csv, bool Apply) : IRequestBody<UnitImportForm>
{
    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    /// <remarks>The endpoint's limit bounds the file read into memory.</remarks>
    public static UnitImportForm FromForm(IFormCollection form)
    {
        var apply = form["apply"] == "1";
        if (form.Files.Count == 0 || form.Files[0].Length == 0)
        {
            return new(form["csv"].ToString(), apply);
        }

        using var reader = new StreamReader(form.Files[0].OpenReadStream(), System.Text.Encoding.UTF8);
        return new(reader.ReadToEnd(), apply);
    }
}

/// <summary>What an import would do (each line's action and problems), with the text to apply it, or why it could not be read.</summary>
public sealed record UnitImportModel(ImportPlan? Plan, string Csv, Error? Error)
{
    public static string ActionName(ImportAction action) => action switch
    {
        ImportAction.Create => "Thêm mới",
        ImportAction.Update => "Sửa",
        ImportAction.Unchanged => "Không đổi",
        ImportAction.Invalid => "Có lỗi",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };
}
