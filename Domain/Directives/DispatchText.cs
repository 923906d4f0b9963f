using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>How a block of a dispatch begins: a Roman numeral ("II."), a number ("2.", "1.1"), a letter ("a)"), a dash or a plus.</summary>
internal enum BlockMarker
{
    None,
    Roman,
    Number,
    Letter,
    Dash,
    Plus,
}

/// <summary>
/// One block of a pasted dispatch: a numbered item, a bullet, or a paragraph, its wrapped lines
/// joined. <see cref="Lines"/> keeps them apart for the heading (the issuer's name and the
/// signature are written on lines of their own); <see cref="Emphasised"/> when the whole block was
/// a markdown heading or bold.
/// </summary>
internal sealed record Block(BlockMarker Marker, string Label, string Text, IReadOnlyList<string> Lines, bool Emphasised)
{
    /// <summary>Upper case without diacritics, one character for one: an index in it is an index in <see cref="Text"/>.</summary>
    public string Folded { get; } = DispatchText.FoldKeepingLength(Text);

    /// <summary>How deep the item sits: Roman 0, "2." 1, "1.1" 2, a letter below every number.</summary>
    public int Depth => Marker switch
    {
        BlockMarker.Roman => 0,
        BlockMarker.Number => Label.Count(c => c == '.') + 1,
        BlockMarker.Letter => 9,
        _ => int.MaxValue,
    };

    public bool IsNumbered => Marker is BlockMarker.Roman or BlockMarker.Number or BlockMarker.Letter;
}

/// <summary>
/// A pasted dispatch as blocks. Text copied from a PDF, a Word file or a markdown conversion
/// carries marks of its origin: emphasis (<c>**…**</c>, <c>*…*</c>), headings (<c>##</c>), escapes
/// (<c>\*</c>), links in angle brackets, hard line breaks, and paragraphs cut in two by a page
/// break. They are taken off so that what is suggested reads as the dispatch reads. A line that
/// begins with a marker starts a block; a line that does not continues the block above when that
/// ends without punctuation and the line begins in lower case (across a blank line too: a sentence
/// cut by a page break), or follows a long line directly (a wrapped line); otherwise it starts a
/// block of its own (the heading's lines, the date, a paragraph pasted one line to a paragraph).
/// </summary>
internal static partial class DispatchText
{
    /// <summary>A line at least this long that ends without punctuation was wrapped: the next line goes on with it.</summary>
    private const int WrappedLine = 60;

    public static IReadOnlyList<Block> Blocks(string dispatchText)
    {
        var text = dispatchText.Normalize(NormalizationForm.FormC).Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var blocks = new List<Block>();
        BlockMarker marker = BlockMarker.None;
        var label = string.Empty;
        var lines = new List<string>();
        var emphasised = true;
        var blankSince = false;

        void Close()
        {
            if (lines.Count > 0)
            {
                blocks.Add(new Block(marker, label, string.Join(' ', lines), lines.ToList(), emphasised));
            }

            lines.Clear();
        }

        foreach (var raw in text.Split('\n'))
        {
            var (line, whole) = Plain(raw);
            if (line.Length == 0)
            {
                blankSince = lines.Count > 0 || blankSince;
                continue;
            }

            var start = MarkerAt().Match(line);
            var continues = lines.Count > 0 && !start.Success && !EndsSentence(lines[^1])
                && (char.IsLower(line[0]) || (!blankSince && lines[^1].Length >= WrappedLine && !IsCapitals(line)));
            if (continues)
            {
                lines.Add(line);
                emphasised &= whole;
            }
            else
            {
                Close();
                (marker, label) = start.Success ? MarkerOf(start) : (BlockMarker.None, string.Empty);
                lines.Add(start.Success ? line[start.Length..].Trim() : line);
                emphasised = whole;
            }

            blankSince = false;
        }

        Close();
        return blocks;
    }

    /// <summary>Upper case without diacritics (đ → D), one character for one, so indexes in the folded text are indexes in the text.</summary>
    public static string FoldKeepingLength(string line) =>
        string.Create(line.Length, line, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is 'đ' or 'Đ' ? 'D'
                    : c < 128 ? char.ToUpperInvariant(c)
                    : char.ToUpperInvariant(c.ToString().Normalize(NormalizationForm.FormD)[0]);
            }
        });

    /// <summary>White space as single spaces, no space before punctuation, no punctuation doubled (". .", "; ;") or parentheses emptied by a removed phrase.</summary>
    public static string Tidy(string text)
    {
        var value = Whitespace().Replace(text, " ").Trim();
        value = SpaceBeforePunctuation().Replace(value, "$1");
        value = value.Replace("()", string.Empty, StringComparison.Ordinal);
        value = DoubledPunctuation().Replace(value, "$1");
        return Whitespace().Replace(value, " ").Trim();
    }

    /// <summary>The first letter in upper case ("các chi bộ trực thuộc" → "Các chi bộ trực thuộc").</summary>
    public static string Capitalised(string text) =>
        text.Length > 0 && char.IsLower(text[0]) ? char.ToUpper(text[0], System.Globalization.CultureInfo.InvariantCulture) + text[1..] : text;

    /// <summary>A line without its markdown, and whether all of it was a heading or emphasised.</summary>
    private static (string Line, bool Whole) Plain(string raw)
    {
        var line = raw.Trim();
        var heading = HeadingMark().Match(line);
        if (heading.Success)
        {
            line = line[heading.Length..];
        }

        var whole = heading.Success || (line.Length > 4 && line.StartsWith("**", StringComparison.Ordinal) && line.EndsWith("**", StringComparison.Ordinal));
        line = Link().Replace(line, "$1");
        line = AngleLink().Replace(line, "$1");
        line = Escape().Replace(line, "$1");
        line = line.Replace("*", string.Empty, StringComparison.Ordinal).Replace("__", string.Empty, StringComparison.Ordinal);
        line = Whitespace().Replace(line, " ").Trim();
        return (PunctuationOnly().IsMatch(line) ? string.Empty : line, whole);
    }

    private static (BlockMarker, string) MarkerOf(Match start)
    {
        var g = start.Groups;
        return g["roman"].Success ? (BlockMarker.Roman, g["roman"].Value)
            : g["number"].Success ? (BlockMarker.Number, g["number"].Value)
            : g["letter"].Success ? (BlockMarker.Letter, g["letter"].Value)
            : g["plus"].Success ? (BlockMarker.Plus, "+")
            : (BlockMarker.Dash, "-");
    }

    /// <summary>A line in capitals ("ĐẢNG CỘNG SẢN VIỆT NAM"): a heading's line, never the rest of a wrapped sentence.</summary>
    public static bool IsCapitals(string line) =>
        line.Count(char.IsLetter) >= 6 && line.Where(char.IsLetter).All(char.IsUpper);

    private static bool EndsSentence(string line) => line.Length > 0 && line[^1] is '.' or ';' or ':' or '!' or '?';

    /// <summary>"II. ", "2. ", "2) ", "1.1 ", "1.1. ", "a) ", "b. ", "- ", "– ", "• ", "+ " at the start of a line (a number alone, "05 ngày", is not one).</summary>
    [GeneratedRegex(@"^(?:(?<roman>[IVX]{1,4})[.)]\s+|(?<number>\d{1,2}(?:\.\d{1,2})+)\.?\s+|(?<number>\d{1,2})[.)]\s+|(?<letter>[a-zđ])[.)]\s+|(?<plus>\+)\s*|[-–—•]\s*)(?=\S)", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerAt();

    [GeneratedRegex(@"^#{1,6}\s+")]
    private static partial Regex HeadingMark();

    [GeneratedRegex(@"\[([^\]]+)\]\((?:https?://|mailto:)[^)\s]+\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"<((?:https?://|mailto:)[^>\s]+)>")]
    private static partial Regex AngleLink();

    [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!<>])")]
    private static partial Regex Escape();

    [GeneratedRegex(@"^[\p{P}\p{S}\s]*$")]
    private static partial Regex PunctuationOnly();

    [GeneratedRegex(@"\s+([,;:.)!?])")]
    private static partial Regex SpaceBeforePunctuation();

    [GeneratedRegex(@"([,;:.])(?:\s+[,;:.])+")]
    private static partial Regex DoubledPunctuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
