using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Units;

/// <summary>
/// A unit's id, chosen by the office (<c>dang-bo-so-tai-chinh</c>): 1–64 lowercase ASCII letters,
/// digits and hyphens, starting with a letter or digit. The grammar is strict because ids become
/// table keys and URL segments; anything else is refused, never escaped into shape.
/// </summary>
public readonly partial record struct UnitId
{
    private UnitId(string value) => Value = value;

    public string Value { get; }

    public static Result<UnitId> Parse(string? text, string field = "unitId") =>
        text is not null && Grammar().IsMatch(text)
            ? new UnitId(text)
            : Error.Validation(field, "invalid-unit-id", "Mã đơn vị chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (tối đa 64 ký tự).");

    public override string ToString() => Value;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex Grammar();
}

/// <summary>The four levels of the statistics template, top to bottom.</summary>
public enum UnitLevel
{
    /// <summary>Đảng bộ cấp trên cơ sở — upper-grassroots party committee.</summary>
    UpperGrassroots = 1,

    /// <summary>Đảng bộ/Chi bộ cơ sở — grassroots party committee or cell.</summary>
    Grassroots = 2,

    /// <summary>Đảng bộ bộ phận — partial (sub-) party committee.</summary>
    Partial = 3,

    /// <summary>Chi bộ trực thuộc — affiliated party cell.</summary>
    AffiliatedCell = 4,
}

public static class UnitLevels
{
    public static string Name(UnitLevel level) => level switch
    {
        UnitLevel.UpperGrassroots => "Đảng bộ cấp trên cơ sở",
        UnitLevel.Grassroots => "Đảng bộ/Chi bộ cơ sở",
        UnitLevel.Partial => "Đảng bộ bộ phận",
        UnitLevel.AffiliatedCell => "Chi bộ trực thuộc",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>A level from its number (1–4) or its name as the template writes it (diacritics and case aside).</summary>
    public static Result<UnitLevel> Parse(string? text, string field = "level")
    {
        var value = (text ?? string.Empty).Trim();
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4)
        {
            return (UnitLevel)n;
        }

        var folded = Text.Fold(value);
        foreach (var level in Enum.GetValues<UnitLevel>())
        {
            if (Text.Fold(Name(level)) == folded)
            {
                return level;
            }
        }

        return Error.Validation(field, "invalid-level", "Cấp phải là 1–4: 1 Đảng bộ cấp trên cơ sở, 2 Đảng bộ/Chi bộ cơ sở, 3 Đảng bộ bộ phận, 4 Chi bộ trực thuộc.");
    }
}

/// <summary>
/// A party organisation that receives directives: its place in the tree and where its mail goes —
/// none when it has no address (many cells have none): its mail then goes to its parent, then the office.
/// </summary>
public sealed record Unit(UnitId Id, string Name, UnitLevel Level, UnitId? ParentId, EmailAddress? Email)
{
    public const int MaxNameLength = 200;

    /// <summary>The unit's fields as the audit trail shows an edit of them.</summary>
    public IReadOnlyList<(string Label, string Value)> Describe() =>
    [
        ("Tên", Name),
        ("Cấp", ((int)Level).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Đơn vị cấp trên", ParentId?.Value ?? "không có"),
        ("Email", Email?.Value ?? "không có"),
    ];

    /// <summary>Validates a unit as the office sends it; every field's problem is reported at once. No email (blank) is allowed: the unit has none.</summary>
    public static Result<Unit> Create(UnitId id, string? name, string? level, string? parentId, string? email)
    {
        var validation = new Validation();
        var cleanName = validation.Take(Text.Clean(name, "name", MaxNameLength), "name");
        var cleanLevel = validation.Take(UnitLevels.Parse(level), "level");
        UnitId? parent = null;
        if (!string.IsNullOrWhiteSpace(parentId))
        {
            parent = validation.Take(UnitId.Parse(parentId, "parentId"), "parentId");
            if (parent == id)
            {
                validation.Add("parentId", "self-parent", "Đơn vị không thể là cấp trên của chính nó.");
            }
        }

        var cleanEmail = string.IsNullOrWhiteSpace(email) ? null : (EmailAddress?)validation.Take(EmailAddress.Parse(email, "email"), "email");
        return validation.HasErrors
            ? validation.ToError()
            : new Unit(id, cleanName!, cleanLevel, parent, cleanEmail);
    }
}

