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
/// What kind of body a unit is. Party organisations sit at one of the template's four levels;
/// the other bodies that receive tasks — mass organisations, the committee's boards, its
/// inspection committee, its office — have no level and are counted as a group of their own.
/// Stored and sent by their kebab-case names (<c>party-organisation</c>, <c>mass-organisation</c>…).
/// </summary>
public enum UnitKind
{
    /// <summary>Tổ chức đảng — at one of the four levels.</summary>
    PartyOrganisation,

    /// <summary>Ủy ban MTTQ, Đoàn Thanh niên, Hội Phụ nữ, Hội Cựu chiến binh, Công đoàn…</summary>
    MassOrganisation,

    /// <summary>Ban của Đảng ủy: Ban Tổ chức, Ban Tuyên giáo…</summary>
    PartyBoard,

    /// <summary>Ủy ban Kiểm tra.</summary>
    InspectionCommittee,

    /// <summary>Văn phòng (Đảng ủy, cơ quan).</summary>
    Office,
}

public static class UnitKinds
{
    /// <summary>The group the board and the statistics show level-less units in.</summary>
    public const string OthersGroup = "Cơ quan, đoàn thể khác (không theo cấp)";

    public static string Name(UnitKind kind) => kind switch
    {
        UnitKind.PartyOrganisation => "Tổ chức đảng",
        UnitKind.MassOrganisation => "Mặt trận, đoàn thể, hội",
        UnitKind.PartyBoard => "Ban Đảng",
        UnitKind.InspectionCommittee => "Ủy ban Kiểm tra",
        UnitKind.Office => "Văn phòng",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Whether units of this kind sit at a level of the template (only party organisations do).</summary>
    public static bool HasLevel(UnitKind kind) => kind == UnitKind.PartyOrganisation;

    /// <summary>A kind from its kebab-case name or its Vietnamese name (diacritics and case aside); empty is a party organisation.</summary>
    public static Result<UnitKind> Parse(string? text, string field = "kind")
    {
        var folded = Text.Fold((text ?? string.Empty).Trim());
        if (folded.Length == 0)
        {
            return UnitKind.PartyOrganisation;
        }

        foreach (var kind in Enum.GetValues<UnitKind>())
        {
            if (folded == Code(kind) || folded == Text.Fold(Name(kind)))
            {
                return kind;
            }
        }

        return Error.Validation(field, "invalid-kind", "Loại đơn vị phải là một trong: " + string.Join("; ", Enum.GetValues<UnitKind>().Select(Name)) + ".");
    }

    /// <summary>The kebab-case name the wire and the table use.</summary>
    public static string Code(UnitKind kind) => kind switch
    {
        UnitKind.PartyOrganisation => "party-organisation",
        UnitKind.MassOrganisation => "mass-organisation",
        UnitKind.PartyBoard => "party-board",
        UnitKind.InspectionCommittee => "inspection-committee",
        UnitKind.Office => "office",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

/// <summary>Whether a unit still receives tasks: active, stopped (kept for history), or merged into another (its future tasks go there).</summary>
public enum UnitState
{
    Active,
    Inactive,
    Merged,
}

public static class UnitStates
{
    public static string Name(UnitState state) => state switch
    {
        UnitState.Active => "Đang hoạt động",
        UnitState.Inactive => "Ngừng hoạt động",
        UnitState.Merged => "Đã sáp nhập",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };
}

/// <summary>A unit's further email addresses, compared by value (a unit read back equals the unit written).</summary>
public sealed class EmailList : IReadOnlyList<EmailAddress>, IEquatable<EmailList>
{
    public static readonly EmailList Empty = new([]);

    private readonly EmailAddress[] _items;

    public EmailList(IEnumerable<EmailAddress> items) => _items = items.ToArray();

    public int Count => _items.Length;

    public EmailAddress this[int index] => _items[index];

    public IEnumerator<EmailAddress> GetEnumerator() => ((IEnumerable<EmailAddress>)_items).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(EmailList? other) => other is not null && _items.SequenceEqual(other._items);

    public override bool Equals(object? obj) => Equals(obj as EmailList);

    public override int GetHashCode() => _items.Aggregate(_items.Length, (h, e) => HashCode.Combine(h, e));

    public override string ToString() => string.Join("; ", _items.Select(e => e.Value));
}

/// <summary>A unit's fields as the office sends them (the API's body, the page's form, a line of a CSV list), before validation.</summary>
public sealed record UnitInput(
    string? Name,
    string? Level,
    string? ParentId,
    IReadOnlyList<string?> Emails,
    string? Kind = null,
    string? Phone = null,
    string? Contact = null);

/// <summary>
/// A body that receives directives: its kind, its place in the tree (a level for party
/// organisations), where its mail goes (<see cref="Email"/> first, then <see cref="AlsoTo"/>; none when it has no address — many cells have none: its mail then goes to its parent, then the office), who
/// to call, and whether it still receives tasks.
/// </summary>
public sealed record Unit(UnitId Id, string Name, UnitLevel? Level, UnitId? ParentId, EmailAddress? Email)
{
    public const int MaxNameLength = 200;
    public const int MaxEmails = 10;
    public const int MaxContactLength = 100;
    public const int MaxPhoneLength = 40;

    public UnitKind Kind { get; init; } = UnitKind.PartyOrganisation;

    /// <summary>Addresses that receive the unit's mail besides <see cref="Email"/>.</summary>
    public EmailList AlsoTo { get; init; } = EmailList.Empty;

    public string Phone { get; init; } = string.Empty;

    /// <summary>The secretary's or the contact person's name.</summary>
    public string Contact { get; init; } = string.Empty;

    public UnitState State { get; init; } = UnitState.Active;

    /// <summary>The unit this one was merged into (when <see cref="State"/> is merged).</summary>
    public UnitId? MergedInto { get; init; }

    /// <summary>Every address of the unit, the first one first; none when it has no address.</summary>
    public IReadOnlyList<EmailAddress> Emails => Email is { } first ? [first, .. AlsoTo] : [];

    public bool IsActive => State == UnitState.Active;

    /// <summary>The level's name, or the kind's for a body without a level.</summary>
    public string LevelOrKindName => Level is { } level ? UnitLevels.Name(level) : UnitKinds.Name(Kind);

    /// <summary>The unit's fields as the audit trail and the unit's history show an edit of them.</summary>
    public IReadOnlyList<(string Label, string Value)> Describe() =>
    [
        ("Tên", Name),
        ("Loại", UnitKinds.Name(Kind)),
        ("Cấp", Level is { } level ? ((int)level).ToString(System.Globalization.CultureInfo.InvariantCulture) : "không theo cấp"),
        ("Đơn vị cấp trên", ParentId?.Value ?? "không có"),
        ("Email", Emails.Count > 0 ? string.Join("; ", Emails.Select(e => e.Value)) : "không có"),
        ("Điện thoại", Phone.Length > 0 ? Phone : "không có"),
        ("Người liên hệ", Contact.Length > 0 ? Contact : "không có"),
        ("Tình trạng", UnitStates.Name(State) + (MergedInto is { } into ? " vào " + into.Value : string.Empty)),
    ];

    /// <summary>Validates a party organisation with one address (the CSV list's and the old API's shape).</summary>
    public static Result<Unit> Create(UnitId id, string? name, string? level, string? parentId, string? email) =>
        Create(id, new UnitInput(name, level, parentId, [email]));

    /// <summary>Validates a unit as the office sends it; every field's problem is reported at once. No address is allowed: the unit then has none.</summary>
    public static Result<Unit> Create(UnitId id, UnitInput input)
    {
        var validation = new Validation();
        var cleanName = validation.Take(Text.Clean(input.Name, "name", MaxNameLength), "name");
        var kind = validation.Take(UnitKinds.Parse(input.Kind), "kind");
        UnitLevel? level = null;
        if (UnitKinds.HasLevel(kind))
        {
            level = validation.Take(UnitLevels.Parse(input.Level), "level");
        }
        else if (!string.IsNullOrWhiteSpace(input.Level))
        {
            validation.Add("level", "level-not-for-kind", $"{UnitKinds.Name(kind)} không xếp theo cấp; để trống ô cấp (chỉ tổ chức đảng có cấp 1–4).");
        }

        UnitId? parent = null;
        if (!string.IsNullOrWhiteSpace(input.ParentId))
        {
            parent = validation.Take(UnitId.Parse(input.ParentId.Trim(), "parentId"), "parentId");
            if (parent == id)
            {
                validation.Add("parentId", "self-parent", "Đơn vị không thể là cấp trên của chính nó.");
            }
        }

        var emails = ParseEmails(input.Emails, validation);
        var phone = validation.Take(Text.Clean(input.Phone, "phone", MaxPhoneLength, required: false), "phone") ?? string.Empty;
        if (phone.Length > 0 && (!phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '.' or '-' or '(' or ')' or ',' or ';') || phone.Count(char.IsAsciiDigit) < 6))
        {
            validation.Add("phone", "invalid-phone", "Số điện thoại chỉ gồm chữ số (ít nhất 6), dấu cách và các dấu + . - ( ).");
        }

        var contact = validation.Take(Text.Clean(input.Contact, "contact", MaxContactLength, required: false), "contact") ?? string.Empty;
        return validation.HasErrors
            ? validation.ToError()
            : new Unit(id, cleanName!, level, parent, emails.Count > 0 ? emails[0] : null)
            {
                Kind = kind,
                AlsoTo = new EmailList(emails.Skip(1)),
                Phone = phone,
                Contact = contact,
            };
    }

    /// <summary>The addresses given, each field possibly holding several (separated by spaces, commas, semicolons or lines), without repeats.</summary>
    private static List<EmailAddress> ParseEmails(IReadOnlyList<string?> fields, Validation validation)
    {
        var texts = fields.SelectMany(f => (f ?? string.Empty).Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).ToList();
        var emails = new List<EmailAddress>();
        var invalid = new List<string>();
        foreach (var text in texts)
        {
            var email = EmailAddress.Parse(text, "email");
            if (!email.IsSuccess)
            {
                invalid.Add($"'{Shorten(text)}'");
            }
            else if (!emails.Any(e => string.Equals(e.Value, email.Value.Value, StringComparison.OrdinalIgnoreCase)))
            {
                emails.Add(email.Value);
            }
        }

        if (invalid.Count > 0)
        {
            validation.Add("email", "invalid-email", invalid.Count == 1 ? $"Địa chỉ email {invalid[0]} không hợp lệ." : $"Các địa chỉ email {string.Join(", ", invalid)} không hợp lệ.");
        }
        else if (emails.Count > MaxEmails)
        {
            validation.Add("email", "too-many-emails", $"Một đơn vị có tối đa {MaxEmails} địa chỉ email.");
        }

        return emails;
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
