using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// A group a dispatch names ("Ủy ban MTTQ và các tổ chức chính trị - xã hội") and the units of the
/// office's tree it was matched to, for the clerk to check; <see cref="Unmatched"/>: the parts of it
/// no unit's name matched, shown as written for the clerk to choose by hand.
/// </summary>
public sealed record RecipientMatch(string Group, IReadOnlyList<UnitId> Units, IReadOnlyList<string> Unmatched);

/// <summary>
/// The units or groups a dispatch gives its items to: the addressees ("Kính gửi: - Các Đảng bộ, chi
/// bộ trực thuộc, - Ủy ban MTTQ …"), an item's heading ("1. Đối với các Đảng bộ, chi bộ trực
/// thuộc", "3. Giao Văn phòng Đảng ủy", "- Đoàn Thanh niên phường:") or its opening ("Giao Văn
/// phòng Đảng ủy chủ trì …"); and how a group maps onto the office's units. A named body matches the
/// units whose name begins with its words (abbreviations written out, diacritics aside: "Ủy ban
/// MTTQ" matches "Ủy ban Mặt trận Tổ quốc Việt Nam phường"); a collective ("các Đảng bộ, chi bộ
/// trực thuộc", "các ban Đảng", "các tổ chức chính trị - xã hội") matches the units of that kind —
/// for "trực thuộc", those directly under the issuer (or at the top of the tree, when the issuer
/// is not in it). Nothing is assigned by this: the clerk checks every suggestion.
/// </summary>
public static partial class RecipientGroups
{
    /// <summary>
    /// An addressee line as groups: its bullet and closing punctuation taken off, split where a comma
    /// is followed by another body ("Văn phòng Đảng ủy, Ban Xây dựng Đảng" → two; "Các Đảng bộ, chi
    /// bộ trực thuộc" → one).
    /// </summary>
    public static IReadOnlyList<string> Split(string entry)
    {
        var text = DispatchText.Tidy(entry).Trim('-', '–', '•', '+', ' ').TrimEnd(',', ';', '.', ':', ' ');
        var groups = new List<string>();
        var from = 0;
        foreach (Match comma in Comma().Matches(text))
        {
            var next = comma.Index + comma.Length;
            if (char.IsUpper(text[next]) && BodyStart().IsMatch(DispatchText.FoldKeepingLength(text[next..])))
            {
                groups.Add(text[from..comma.Index]);
                from = next;
            }
        }

        groups.Add(text[from..]);
        return groups.Select(g => DispatchText.Capitalised(g.Trim())).Where(g => g.Length > 1).ToList();
    }

    /// <summary>
    /// The body an item's text names at its start, and where the rest begins: "Đối với các Đảng bộ,
    /// chi bộ trực thuộc" → Các Đảng bộ, chi bộ trực thuộc (no rest); "Giao Văn phòng Đảng ủy chủ trì
    /// tổng hợp" → Văn phòng Đảng ủy, then "chủ trì tổng hợp"; "Đoàn Thanh niên phường:" → Đoàn Thanh
    /// niên phường; "Ủy ban Kiểm tra Đảng ủy: thẩm định …" → Ủy ban Kiểm tra Đảng ủy, then "thẩm định
    /// …". A sentence that begins with its subject ("Văn phòng Đảng ủy chủ trì …") is <see cref="Subject"/>'s.
    /// </summary>
    internal static (string? Body, int RestAt) Named(string text)
    {
        var folded = DispatchText.FoldKeepingLength(text);
        var prefix = Prefix().Match(folded);
        var start = prefix.Success ? prefix.Length : 0;
        if (!BodyStart().IsMatch(folded[start..]))
        {
            return (null, 0);
        }

        var verb = Verb().Match(folded, start);
        var end = verb.Success ? verb.Index : text.Length;
        var colon = folded.IndexOf(':', start);
        end = colon >= 0 && colon < end ? colon : end;
        var body = text[start..end].Trim().TrimEnd(',', ';', '.', ':', ' ');
        var rest = end;
        while (rest < text.Length && text[rest] is ':' or ',' or ' ')
        {
            rest++;
        }

        var words = body.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var atColon = colon >= 0 && end == colon;
        if (words is 0 or > 16 || (!prefix.Success && !atColon && rest < text.Length && !PunctuationOnly(text[rest..])))
        {
            return (null, 0);
        }

        return (DispatchText.Capitalised(body), rest);
    }

    /// <summary>
    /// The body a sentence begins with, as its subject, and where its verb begins: "Văn phòng Đảng ủy
    /// chủ trì theo dõi …" → Văn phòng Đảng ủy; a collective ("Các chi bộ báo cáo …", "Đảng ủy các cơ sở
    /// tổng hợp …") says so. People ("Đảng viên …", "Bí thư …") are no body here.
    /// </summary>
    internal static (string? Body, int VerbAt, bool Collective) Subject(string text)
    {
        var folded = DispatchText.FoldKeepingLength(text);
        var start = BodyStart().Match(folded);
        var verb = start.Success ? Verb().Match(folded, start.Length) : null;
        if (verb is not { Success: true } || Person().IsMatch(folded))
        {
            return (null, 0, false);
        }

        var body = text[..verb.Index].Trim().TrimEnd(',', ' ');
        var collective = CollectiveStart().IsMatch(Text.Fold(body)) || folded[..verb.Index].Contains(" CAC ", StringComparison.Ordinal);
        return body.Split(' ').Length <= 12 && (collective || !body.Contains(',', StringComparison.Ordinal)) ? (body, verb.Index, collective) : (null, 0, false);
    }

    /// <summary>
    /// The addressees a collective subject speaks of: those that name the same kind of body ("Các chi
    /// bộ …" → "Các đảng ủy, chi bộ cơ sở trực thuộc", not "Văn phòng Đảng ủy"); all of them when none does.
    /// </summary>
    internal static IReadOnlyList<string> Among(IReadOnlyList<string> addressees, string subject)
    {
        var kinds = Kinds(subject);
        var named = addressees.Where(a => Kinds(a).Overlaps(kinds)).ToList();
        return named.Count > 0 ? named : addressees;
    }

    /// <summary>The kinds of body a group names, each part's first words: "Các đảng ủy, chi bộ cơ sở" → dang uy, chi bo.</summary>
    private static HashSet<string> Kinds(string group)
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in Text.Fold(group).Split([",", " va ", " cung "], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var words = CollectiveStart().Replace(part, string.Empty).Split(' ');
            if (words.Length >= 2)
            {
                kinds.Add(words[0] == "dang" && words[1] == "bo" ? "dang uy" : $"{words[0]} {words[1]}");
            }
        }

        return kinds;
    }

    private static bool PunctuationOnly(string text) => text.All(c => char.IsPunctuation(c) || char.IsWhiteSpace(c));

    /// <summary>Every group matched against <paramref name="tree"/>; <paramref name="issuer"/> places "trực thuộc".</summary>
    public static IReadOnlyList<RecipientMatch> Match(IEnumerable<string> groups, UnitTree tree, string? issuer)
    {
        var issuerKey = issuer is null ? null : BodyNames.Key(issuer);
        var issuerUnit = issuerKey is { Count: > 0 } ? tree.All.FirstOrDefault(u => BodyNames.Key(u.Name).SequenceEqual(issuerKey)) : null;
        return groups.Select(g => Match(g, tree, issuerUnit)).ToList();
    }

    private static RecipientMatch Match(string group, UnitTree tree, Unit? issuer)
    {
        var units = new List<Unit>();
        var unmatched = new List<string>();
        foreach (var part in Parts(group))
        {
            var found = Collective(Text.Fold(part), tree, issuer) ?? Named(BodyNames.Key(part), tree);
            if (found.Count == 0)
            {
                unmatched.Add(DispatchText.Capitalised(part));
            }

            units.AddRange(found.Where(u => !units.Contains(u)));
        }

        return new RecipientMatch(group, units.OrderBy(u => u.Name, VietnameseCollation.Instance).Select(u => u.Id).ToList(), unmatched);
    }

    /// <summary>A group's parts: split at "và" or "cùng" where a body follows ("Ủy ban MTTQ | và các tổ chức …"), not inside a name ("Ban Tuyên giáo và Dân vận").</summary>
    private static IEnumerable<string> Parts(string group)
    {
        var from = 0;
        foreach (Match and in And().Matches(group))
        {
            var next = and.Index + and.Length;
            if (BodyStart().IsMatch(DispatchText.FoldKeepingLength(group[next..])))
            {
                yield return group[from..and.Index].Trim();
                from = next;
            }
        }

        yield return group[from..].Trim();
    }

    /// <summary>The units a collective ("các …") names, by the kind their names say; null when the part is no collective.</summary>
    private static List<Unit>? Collective(string folded, UnitTree tree, Unit? issuer)
    {
        if (!CollectiveStart().IsMatch(folded))
        {
            return null;
        }

        var kinds = new List<string>();
        if (folded.Contains("dang bo", StringComparison.Ordinal) || folded.Contains("dang uy", StringComparison.Ordinal))
        {
            kinds.AddRange(["dang bo ", "dang uy "]);
        }

        if (folded.Contains("chi bo", StringComparison.Ordinal) || folded.Contains("chi uy", StringComparison.Ordinal))
        {
            kinds.Add("chi bo ");
        }

        if (folded.Contains("to chuc dang", StringComparison.Ordinal) || folded.Contains("to chuc co so dang", StringComparison.Ordinal) || folded.Contains("cap uy", StringComparison.Ordinal))
        {
            kinds.AddRange(["dang bo ", "dang uy ", "chi bo "]);
        }

        if (kinds.Count > 0)
        {
            var party = tree.All.Where(u => u != issuer && kinds.Exists(k => Text.Fold(u.Name).StartsWith(k, StringComparison.Ordinal))).ToList();
            if (!folded.Contains("truc thuoc", StringComparison.Ordinal))
            {
                return party;
            }

            return issuer is not null
                ? party.Where(u => u.ParentId == issuer.Id).ToList()
                : party.Where(u => u.ParentId is not { } parent || tree.Find(parent) is not { } above || !IsParty(above)).ToList();
        }

        string[] named = folded.Contains("chinh tri - xa hoi", StringComparison.Ordinal) || folded.Contains("chinh tri-xa hoi", StringComparison.Ordinal) || folded.Contains("doan the", StringComparison.Ordinal)
            ? ["hoi ", "doan thanh nien", "cong doan", "lien doan lao dong"]
            : folded.StartsWith("cac ban", StringComparison.Ordinal) ? ["ban "]
            : [];
        return tree.All.Where(u => u != issuer && named.Any(n => Text.Fold(u.Name).StartsWith(n, StringComparison.Ordinal))).ToList();
    }

    private static bool IsParty(Unit unit)
    {
        var name = Text.Fold(unit.Name);
        return name.StartsWith("dang bo ", StringComparison.Ordinal) || name.StartsWith("dang uy ", StringComparison.Ordinal) || name.StartsWith("chi bo ", StringComparison.Ordinal);
    }

    /// <summary>The units whose name begins with the body's first word and holds all its words in order; a name of two words or fewer must be the unit's whole name.</summary>
    private static List<Unit> Named(IReadOnlyList<string> key, UnitTree tree)
    {
        if (key.Count == 0)
        {
            return [];
        }

        return tree.All.Where(u =>
        {
            var name = BodyNames.Key(u.Name);
            if (key.Count <= 2)
            {
                return name.SequenceEqual(key);
            }

            if (name.Count == 0 || name[0] != key[0])
            {
                return false;
            }

            var k = 0;
            foreach (var word in name)
            {
                k += k < key.Count && word == key[k] ? 1 : 0;
            }

            return k == key.Count;
        }).ToList();
    }

    [GeneratedRegex(@",\s*")]
    private static partial Regex Comma();

    [GeneratedRegex(@"\s+(?:và|cùng)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex And();

    [GeneratedRegex(@"^(?:cac|nhung|toan the)\s")]
    private static partial Regex CollectiveStart();

    [GeneratedRegex(@"^(?:(?:CAC|NHUNG|TOAN\s+THE)\s+)?(?:DANG\s+VIEN|BI\s+THU|PHO\s+BI\s+THU|CAN\s+BO)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Person();

    [GeneratedRegex(@"^(?:DOI\s+VOI|GIAO\s+CHO|GIAO|DE\s+NGHI|YEU\s+CAU)\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();

    /// <summary>The start of a body's name (upper case, no diacritics), alone or as a collective ("CAC …").</summary>
    [GeneratedRegex(@"^(?:(?:CAC|NHUNG|TOAN\s+THE)\s+)?(?:DANG\s+BO|DANG\s+UY|CHI\s+BO|CHI\s+UY|CAP\s+UY|BAN\s+(?!HANH)|VAN\s+PHONG|UY\s+BAN|UBND|UBMTTQ|UBKT|MTTQ|MAT\s+TRAN|DOAN\s+(?!KET)|HOI\s+(?!NGHI|THAO)|CONG\s+DOAN|LIEN\s+DOAN|CO\s+QUAN|DON\s+VI|PHONG\s+(?!CHONG)|TRUNG\s+TAM|BO\s+PHAN|THUONG\s+TRUC|BI\s+THU|DANG\s+VIEN|TO\s+CHUC\s+(?:DANG|CO\s+SO|CHINH\s+TRI))", RegexOptions.CultureInvariant)]
    private static partial Regex BodyStart();

    /// <summary>Where a body's name ends in "Giao X chủ trì …": the first verb of the task.</summary>
    [GeneratedRegex(@"(?<=\s)(?:CHU\s+TRI|PHOI\s+HOP|THUC\s+HIEN|TRIEN\s+KHAI|THEO\s+DOI|TONG\s+HOP|HUONG\s+DAN|KHAN\s+TRUONG|BAO\s+CAO|RA\s+SOAT|CHI\s+DAO|TAP\s+TRUNG|NGHIEN\s+CUU|TIEP\s+TUC|CHU\s+DONG|TANG\s+CUONG|DON\s+DOC|CAP\s+NHAT|TIEP\s+NHAN|THAM\s+MUU|LAM\s+DAU\s+MOI|LA\s+DAU\s+MOI|CO\s+TRACH\s+NHIEM|GIAM\s+SAT|PHO\s+BIEN|TUYEN\s+TRUYEN|VAN\s+DONG|DE\s+XUAT|BAO\s+DAM|DAM\s+BAO|HOAN\s+THANH|THONG\s+BAO|CHUAN\s+BI|PHAN\s+CONG|SOAN\s+THAO|LUA\s+CHON|GUI|LAP|NAM\s+BAT|(?<!CAC\s)TO\s+CHUC(?!\s+(?:DANG|CO\s+SO|CHINH\s+TRI))|(?<!BAN\s)XAY\s+DUNG)(?=[\s,;:.]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Verb();
}
