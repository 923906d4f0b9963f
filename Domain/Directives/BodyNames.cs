using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// Names of Party bodies as dispatches write them: in capitals in the heading ("ĐẢNG ỦY ỦY BAN
/// NHÂN DÂN TỈNH"), abbreviated in the text ("Đảng ủy UBND tỉnh", "Ủy ban MTTQ"), and now and then
/// with a tone mark dropped ("Đông Đa" for "Đống Đa"). Names compare by their words without
/// diacritics and with abbreviations written out.
/// </summary>
internal static partial class BodyNames
{
    /// <summary>Abbreviations of body names, folded, and what they stand for.</summary>
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["ubnd"] = "Ủy ban nhân dân",
        ["hdnd"] = "Hội đồng nhân dân",
        ["mttq"] = "Mặt trận Tổ quốc",
        ["ubmttq"] = "Ủy ban Mặt trận Tổ quốc",
        ["ubkt"] = "Ủy ban Kiểm tra",
        ["vpdu"] = "Văn phòng Đảng ủy",
        ["btv"] = "Ban Thường vụ",
        ["bch"] = "Ban Chấp hành",
        ["tw"] = "Trung ương",
        ["ccb"] = "Cựu chiến binh",
        ["lhpn"] = "Liên hiệp Phụ nữ",
        ["tncs"] = "Thanh niên Cộng sản",
        ["hcm"] = "Hồ Chí Minh",
    };

    private static readonly System.Buffers.SearchValues<char> SentenceEnds = System.Buffers.SearchValues.Create(".:;!?\n");

    /// <summary>Words that name an administrative unit: the words after them are a place's name.</summary>
    private static readonly HashSet<string> Places = new(StringComparer.Ordinal)
    {
        "phuong", "xa", "thi tran", "quan", "huyen", "thi xa", "thanh pho", "tinh", "khoi", "dac khu",
    };

    /// <summary>A name's words, folded, abbreviations written out: "Đảng ủy UBND tỉnh" → dang uy uy ban nhan dan tinh.</summary>
    public static IReadOnlyList<string> Key(string name) => Words(name).Select(w => w.Folded).ToList();

    /// <summary>
    /// <paramref name="capitals"/> ("ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH") as the text writes it ("Đảng ủy UBND
    /// tỉnh", abbreviations written out: "Đảng ủy Ủy ban nhân dân tỉnh"); the most frequent spelling,
    /// and of those that differ only in diacritics the one with the most (a dropped tone mark is the
    /// usual typing slip). Null when the text never names it.
    /// </summary>
    public static string? SpelledAsInText(string capitals, string text)
    {
        var key = Key(capitals);
        var words = Words(text);
        var found = new List<string>();
        for (var i = 0; i + key.Count <= words.Count; i++)
        {
            if (Enumerable.Range(0, key.Count).All(k => words[i + k].Folded == key[k]))
            {
                var spelled = Spell(text, words, i, key.Count);
                if (spelled.Any(char.IsLower))
                {
                    found.Add(spelled);
                }
            }
        }

        return Best(found);
    }

    /// <summary>
    /// The body a signature acts for ("T/M ĐẢNG ỦY", "T/M BAN THƯỜNG VỤ" → the Đảng ủy; "T/M CHI ỦY" →
    /// the Chi bộ) as the text names it: "Đảng ủy phường Đống Đa", "Đảng ủy UBND tỉnh".
    /// </summary>
    public static string? NamedInText(string signature, string text)
    {
        var kind = Text.Fold(signature) switch
        {
            "chi uy" or "chi bo" => new[] { "chi", "bo" },
            "dang bo" => ["dang", "bo"],
            _ => ["dang", "uy"],
        };
        var words = Words(text);
        var found = new List<string>();
        for (var i = 0; i + kind.Length < words.Count; i++)
        {
            if (words[i].Folded != kind[0] || words[i + 1].Folded != kind[1] || !char.IsUpper(words[i].Written[0]) || !words[i + 1].Written.Any(char.IsLower))
            {
                continue;
            }

            var end = i + kind.Length;
            var named = false;
            while (end < words.Count)
            {
                var word = words[end];
                var between = words[end - 1].Start == word.Start ? string.Empty : text[words[end - 1].End..word.Start].Trim();
                if (between is not ("" or "-" or "–"))
                {
                    break;
                }

                var place = end + 1 < words.Count && Places.Contains($"{word.Folded} {words[end + 1].Folded}") ? 2 : Places.Contains(word.Folded) ? 1 : 0;
                if (place > 0 && word.Written.All(char.IsLower))
                {
                    end += place;
                }
                else if (char.IsUpper(word.Written[0]) && !word.Sentence)
                {
                    named = true;
                    end++;
                }
                else
                {
                    break;
                }
            }

            if (named)
            {
                found.Add(Spell(text, words, i, end - i));
            }
        }

        return Best(found);
    }

    /// <summary>A name in capitals in sentence case, for want of the text's own spelling: "ĐẢNG ỦY XÃ TÂN PHÚ" → "Đảng ủy xã Tân Phú".</summary>
    public static string FromCapitals(string capitals)
    {
        var words = capitals.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLower(CultureInfo.InvariantCulture)).ToList();
        var place = false;
        for (var i = 0; i < words.Count; i++)
        {
            var folded = Text.Fold(words[i]);
            var next = i + 1 < words.Count ? Text.Fold(words[i + 1]) : string.Empty;
            var capital = i == 0 || place
                || (folded == "dang" && next is not ("vien" or "phi"))
                || (folded == "uy" && next == "ban");
            if (capital)
            {
                words[i] = DispatchText.Capitalised(words[i]);
            }

            place |= Places.Contains(folded) || (i > 0 && Places.Contains($"{Text.Fold(words[i - 1])} {folded}"));
        }

        return string.Join(' ', words);
    }

    private static string? Best(List<string> spellings) =>
        spellings.Count == 0 ? null
        : spellings
            .GroupBy(s => Text.Fold(s), StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .First()
            .GroupBy(s => s, StringComparer.Ordinal)
            .OrderByDescending(g => Marks(g.Key))
            .ThenByDescending(g => g.Count())
            .First().Key;

    private static int Marks(string text) =>
        text.Normalize(NormalizationForm.FormD).Count(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark);

    /// <summary>
    /// A word as written, folded; an abbreviation becomes the words it stands for, all with the
    /// abbreviation's place in the text (<see cref="Start"/>, <see cref="End"/>). <see cref="Sentence"/>:
    /// the word begins a sentence (its capital says nothing).
    /// </summary>
    private sealed record Word(string Written, string Folded, bool Sentence, int Start, int End);

    private static List<Word> Words(string text)
    {
        var words = new List<Word>();
        var last = 0;
        foreach (Match match in WordPattern().Matches(text))
        {
            var between = text.AsSpan(last, match.Index - last);
            var sentence = words.Count == 0 || between.IndexOfAny(SentenceEnds) >= 0;
            last = match.Index + match.Length;
            var folded = Text.Fold(match.Value);
            if (match.Value.Length > 1 && match.Value.All(c => char.IsUpper(c) || char.IsDigit(c)) && Abbreviations.TryGetValue(folded, out var expansion))
            {
                words.AddRange(expansion.Split(' ').Select((w, i) => new Word(w, Text.Fold(w), sentence && i == 0, match.Index, last)));
            }
            else
            {
                words.Add(new Word(match.Value, folded, sentence, match.Index, last));
            }
        }

        return words;
    }

    /// <summary>
    /// <paramref name="count"/> words from <paramref name="first"/> as the text writes them, with what
    /// stands between them ("Xuân Hương - Đà Lạt" keeps its hyphen), abbreviations written out.
    /// </summary>
    private static string Spell(string text, List<Word> words, int first, int count)
    {
        var spelled = new StringBuilder();
        for (var i = first; i < first + count; i++)
        {
            var word = words[i];
            if (i > first)
            {
                var previous = words[i - 1];
                spelled.Append(previous.Start == word.Start ? " " : Separator(text[previous.End..word.Start]));
            }

            spelled.Append(word.Written);
        }

        return spelled.ToString();
    }

    /// <summary>What stands between two words of a name: a hyphen or a dash as " - ", anything else as a space.</summary>
    private static string Separator(string between) =>
        between.Trim() is "-" or "–" ? " - " : " ";

    [GeneratedRegex(@"[\p{L}\p{M}\p{N}]+")]
    private static partial Regex WordPattern();
}
