using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>A task the scanner found in a dispatch: a suggestion for the office to confirm or edit, never registered as is.</summary>
/// <param name="Title">The task's wording, cleaned of numbering and emphasis.</param>
/// <param name="Kind">Statistics when the task asks for a report on a template, otherwise confirmation.</param>
/// <param name="Deadline">The deadline as the phrase means it ("trước ngày 26/02/2026" → end of 25/02/2026).</param>
/// <param name="Source">The phrase the deadline was read from, as written ("Trước ngày 26/02/2026").</param>
public sealed record SuggestedTask(string Title, TaskKind Kind, Deadline Deadline, string Source);

/// <summary>
/// Reads a pasted dispatch (công văn) and suggests its tasks with their deadlines: every date
/// introduced by a deadline phrase ("trước ngày", "chậm nhất", "đến hết ngày", "thời hạn", "hạn") is a
/// deadline; the task is the text before the phrase on the same line or, when that line holds only
/// the deadline, the nearest numbered item above. Dates without such a phrase ("Công văn số
/// 20279-CV/VPTW ngày 22/01/2026") are references, not deadlines. (Ported from the 'registry'
/// helper branch.)
/// </summary>
public static partial class DispatchScanner
{
    public const int MaxTitleLength = 250;

    private const string MarkerPattern =
        @"(?<marker>TRUOC(?:\s+NGAY)?|CHAM\s+NHAT(?:\s+LA)?(?:\s+NGAY)?|DEN\s+HET(?:\s+NGAY)?|DEN\s+NGAY|HAN\s+CHOT(?:\s+LA)?(?:\s+NGAY)?|(?:THOI\s+)?HAN(?:\s+HOAN\s+THANH)?(?:\s+LA)?(?:\s+NGAY)?)";

    private const string DatePattern = @"(?<day>\d{1,2})\s*[/.\-]\s*(?<month>\d{1,2})\s*[/.\-]\s*(?<year>\d{4})";

    public static IReadOnlyList<SuggestedTask> Suggest(string dispatchText)
    {
        var lines = dispatchText.Normalize(NormalizationForm.FormC).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var suggestions = new List<SuggestedTask>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var folded = FoldKeepingLength(line);
            foreach (Match match in DeadlineInText().Matches(folded))
            {
                if (ToDeadline(match) is not { } deadline)
                {
                    continue;
                }

                var title = TitleBefore(line, folded, match.Index);
                if (title.Length < 10)
                {
                    title = NearestNumberedItem(lines, i) ?? title;
                }

                if (title.Length == 0)
                {
                    continue;
                }

                var suggestion = new SuggestedTask(title, KindOf(title), deadline, Clean(line.Substring(match.Index, match.Length)));
                if (!suggestions.Exists(s => s.Title == suggestion.Title && s.Deadline == suggestion.Deadline))
                {
                    suggestions.Add(suggestion);
                }
            }
        }

        return suggestions;
    }

    /// <summary>Upper case without diacritics (đ → D), one character for one, so indexes in the folded line are indexes in the line.</summary>
    private static string FoldKeepingLength(string line) =>
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

    private static Deadline? ToDeadline(Match match)
    {
        var day = int.Parse(match.Groups["day"].ValueSpan, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups["month"].ValueSpan, CultureInfo.InvariantCulture);
        var year = int.Parse(match.Groups["year"].ValueSpan, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1 || year is < 2000 or > 2200 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        var date = new DateOnly(year, month, day);
        var before = match.Groups["marker"].Value.StartsWith("TRUOC", StringComparison.Ordinal);
        return Deadline.EndOfDay(before ? date.AddDays(-1) : date);
    }

    private static string TitleBefore(string line, string folded, int markerIndex)
    {
        var leadIn = LeadIn().Match(folded[..markerIndex]);
        return Clean(line[..(leadIn.Success ? leadIn.Index : markerIndex)]);
    }

    private static string? NearestNumberedItem(string[] lines, int from)
    {
        for (var i = from - 1; i >= 0 && i >= from - 12; i--)
        {
            var candidate = lines[i].Replace("*", string.Empty, StringComparison.Ordinal).TrimStart();
            if (NumberedItem().IsMatch(candidate))
            {
                var title = Clean(candidate);
                return title.Length > 0 ? title : null;
            }
        }

        return null;
    }

    private static TaskKind KindOf(string title)
    {
        var folded = FoldKeepingLength(title);
        var report = folded.Contains("BAO CAO", StringComparison.Ordinal);
        var template = folded.Contains("MAU", StringComparison.Ordinal) || folded.Contains("THONG KE", StringComparison.Ordinal)
            || folded.Contains("SO LIEU", StringComparison.Ordinal);
        return report && template ? TaskKind.Statistics : TaskKind.Confirmation;
    }

    private static string Clean(string text)
    {
        var value = text.Replace("*", string.Empty, StringComparison.Ordinal);
        value = Whitespace().Replace(value, " ").Trim();
        value = Numbering().Replace(value, string.Empty);
        value = value.TrimEnd(' ', ';', ',', ':', '.', '-', '–', '(').Trim();
        value = Common.Text.SingleLine(value);
        if (value.Length > MaxTitleLength)
        {
            var cut = value.LastIndexOf(' ', MaxTitleLength - 1);
            value = value[..(cut > MaxTitleLength / 2 ? cut : MaxTitleLength - 1)].TrimEnd(' ', ',', ';') + "…";
        }

        return value;
    }

    [GeneratedRegex(@"(?<![A-Z0-9])" + MarkerPattern + @"[\s:*_]*(?:NGAY[\s*_]*)?" + DatePattern, RegexOptions.CultureInvariant)]
    private static partial Regex DeadlineInText();

    [GeneratedRegex(@"(?:THOI\s+(?:HAN|GIAN)(?:\s+HOAN\s+THANH)?|HOAN\s+THANH)[\s:*_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LeadIn();

    [GeneratedRegex(@"^\d+(?:\.\d+)*\.?\s+\S", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedItem();

    [GeneratedRegex(@"^(?:\d+(?:\.\d+)*\.?|[a-zđ]\)|[-+•])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Numbering();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
