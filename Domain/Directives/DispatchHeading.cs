using System.Text.RegularExpressions;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// What a dispatch's heading says of it, as the 2018 rules on Party documents lay the heading out:
/// the issuing body (left, under its superior: "ĐẢNG BỘ TỈNH THANH HÓA / ĐẢNG ỦY ỦY BAN NHÂN DÂN
/// TỈNH"), the number ("Số 643-CV/ĐU"), the place and date ("Thanh Hoá, ngày 05 tháng 02 năm
/// 2026"), the subject ("V/v …", "Về việc …", on several lines) and the addressees ("Kính gửi: - …").
/// A number or a day the dispatch leaves blank ("Số - CV/ĐU", "ngày tháng 02 năm 2026") is not
/// guessed. Without a heading the issuer is read from the signature ("T/M ĐẢNG ỦY") and the name
/// the text gives the body ("Đảng ủy phường Đống Đa đề nghị …").
/// </summary>
internal static partial class DispatchHeading
{
    /// <summary>The blocks before the addressees (or before the first item, when there are none): where the heading is.</summary>
    public static int HeadingEnd(IReadOnlyList<Block> blocks)
    {
        var addressed = blocks.ToList().FindIndex(IsAddressees);
        if (addressed >= 0)
        {
            return addressed;
        }

        var first = blocks.ToList().FindIndex(b => b.IsNumbered);
        return first >= 0 ? first : Math.Min(blocks.Count, 8);
    }

    /// <summary>"643-CV/ĐU" from "Số 643 -CV/ĐU" or "Số: 643-CV/ĐU"; null when the number is left blank ("Số - CV/ĐU") or missing.</summary>
    public static string? Number(IReadOnlyList<Block> blocks, int headingEnd)
    {
        foreach (var line in blocks.Take(headingEnd).SelectMany(b => b.Lines))
        {
            var match = NumberLine().Match(line);
            if (match.Success)
            {
                return match.Groups["n"].Success ? $"{match.Groups["n"].Value}{match.Groups["sep"].Value}{match.Groups["code"].Value}" : null;
            }
        }

        return null;
    }

    /// <summary>The heading's date ("…, ngày 05 tháng 02 năm 2026"); null when the day is left blank.</summary>
    public static DateOnly? IssuedOn(IReadOnlyList<Block> blocks, int headingEnd)
    {
        foreach (var line in blocks.Take(headingEnd).SelectMany(b => b.Lines))
        {
            var folded = DispatchText.FoldKeepingLength(line);
            if (DeadlinePhrases.IssueDate(folded) is { } date)
            {
                return date;
            }
        }

        return null;
    }

    /// <summary>The subject without its "V/v" or "Về việc", its lines joined: "Triển khai rà soát, cập nhật dữ liệu và …".</summary>
    public static string? Subject(IReadOnlyList<Block> blocks, int headingEnd)
    {
        foreach (var block in blocks.Take(headingEnd))
        {
            var match = SubjectStart().Match(block.Folded);
            if (match.Success)
            {
                var subject = DispatchText.Tidy(block.Text[match.Length..]).TrimEnd('.', ';', ',');
                return subject.Length > 0 ? DispatchText.Capitalised(subject) : null;
            }
        }

        return null;
    }

    public static bool IsAddressees(Block block) => block.Marker == BlockMarker.None && AddresseesStart().IsMatch(block.Folded);

    /// <summary>
    /// The addressees: the "Kính gửi" block's own text and the bullets that follow it, each a group
    /// ("Các Đảng bộ, chi bộ trực thuộc"); also the index of the first block after them.
    /// </summary>
    public static (IReadOnlyList<string> Groups, int Next) Addressees(IReadOnlyList<Block> blocks, int headingEnd)
    {
        if (headingEnd >= blocks.Count || !IsAddressees(blocks[headingEnd]))
        {
            return ([], headingEnd);
        }

        var start = AddresseesStart().Match(blocks[headingEnd].Folded);
        var entries = new List<string> { blocks[headingEnd].Text[start.Length..] };
        var next = headingEnd + 1;
        for (; next < blocks.Count && blocks[next].Marker is BlockMarker.Dash or BlockMarker.Plus; next++)
        {
            entries.Add(blocks[next].Text);
        }

        var groups = entries
            .SelectMany(e => e.Split(';'))
            .SelectMany(RecipientGroups.Split)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return (groups, next);
    }

    /// <summary>
    /// The issuing body: the heading's last line in capitals above the national motto (the one
    /// under its superior "ĐẢNG BỘ …"), written as the text spells it; without a heading, the body
    /// the signature acts for ("T/M ĐẢNG ỦY") as the text names it.
    /// </summary>
    public static string? Issuer(IReadOnlyList<Block> blocks, int headingEnd, string bodyText)
    {
        var capitals = blocks.Take(headingEnd).SelectMany(b => b.Lines)
            .Select(l => l.Trim().TrimEnd('.', ','))
            .TakeWhile(l => !SubjectStart().IsMatch(DispatchText.FoldKeepingLength(l)))
            .Where(l => IsCapitalsLine(l) && !NationalLine().IsMatch(DispatchText.FoldKeepingLength(l)))
            .ToList();
        if (capitals.Count > 1 && DispatchText.FoldKeepingLength(capitals[0]).StartsWith("DANG BO ", StringComparison.Ordinal))
        {
            capitals.RemoveAt(0);
        }

        if (capitals.Count > 0)
        {
            var heading = string.Join(' ', capitals);
            return BodyNames.SpelledAsInText(heading, bodyText) ?? BodyNames.FromCapitals(heading);
        }

        var signature = blocks.SelectMany(b => b.Lines).Select(l => SignatureLine().Match(DispatchText.FoldKeepingLength(l.Trim()))).FirstOrDefault(m => m.Success);
        return signature is null ? null : BodyNames.NamedInText(signature.Groups["body"].Value, bodyText);
    }

    private static bool IsCapitalsLine(string line) => DispatchText.IsCapitals(line) && line.Contains(' ', StringComparison.Ordinal);

    [GeneratedRegex(@"^Số\s*:?\s*(?<n>\d{1,6})?\s*(?<sep>[-/])\s*(?<code>\p{Lu}[\p{Lu}0-9]{0,11}(?:[/-]\p{Lu}[\p{Lu}0-9]{0,11}){0,3})", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLine();

    [GeneratedRegex(@"^(?:V\s*/\s*V|VE\s+VIEC)\s*:?\s*", RegexOptions.CultureInvariant)]
    private static partial Regex SubjectStart();

    [GeneratedRegex(@"^KINH\s+GUI\s*:?\s*", RegexOptions.CultureInvariant)]
    private static partial Regex AddresseesStart();

    [GeneratedRegex(@"^(?:DANG\s+CONG\s+SAN\s+VIET\s+NAM|CONG\s+HOA\s+XA\s+HOI|DOC\s+LAP|BAO\s+CAO|NOI\s+NHAN|T/M|TM\.|T/L|K/T)", RegexOptions.CultureInvariant)]
    private static partial Regex NationalLine();

    [GeneratedRegex(@"^(?:T\s*/\s*M|TM\.|T\s*/\s*L|TL\.|K\s*/\s*T|KT\.)\s*(?<body>[A-Z ]{2,60}?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SignatureLine();
}
