using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Bench.Baseline;

// The dispatch scanner as main had it before issue 16 (commit c064f5d), kept unchanged as the
// baseline bench/dispatch-suggestions.sh measures the reader against.

/// <summary>A task the scanner found in a dispatch: a suggestion for the office to confirm or edit, never registered as is.</summary>
/// <param name="Title">The task's wording, cleaned of numbering and emphasis.</param>
/// <param name="Kind">Statistics when the task asks for a report on a template, otherwise confirmation.</param>
/// <param name="Deadline">The deadline as the phrase means it ("trước ngày 26/02/2026" → end of 25/02/2026).</param>
/// <param name="Source">The phrase the deadline was read from, as written ("Trước ngày 26/02/2026").</param>
/// <param name="Term">For a deadline in working days, the term it was read as ("05 ngày làm việc kể từ ngày 13/02/2026"); its last day is <paramref name="Deadline"/>.</param>
internal sealed record SuggestedTask(string Title, TaskKind Kind, Deadline Deadline, string Source, WorkingDaysTerm? Term = null);

/// <summary>
/// What the scanner needs besides the text to read a term in working days: the calendar to count
/// with, the day the dispatch is received (today, when the office registers it: "kể từ ngày nhận
/// được công văn") and the day it was issued, if the office typed it ("kể từ ngày ký"; otherwise
/// the dispatch's own "…, ngày 05 tháng 02 năm 2026").
/// </summary>
internal sealed record SuggestionContext(WorkingCalendar Calendar, DateOnly ReceivedOn, DateOnly? IssuedOn = null);

/// <summary>
/// Reads a pasted dispatch (công văn) and suggests its tasks with their deadlines: every date
/// introduced by a deadline phrase ("trước ngày", "chậm nhất", "đến hết ngày", "thời hạn", "hạn") is a
/// deadline; the task is the text before the phrase on the same line or, when that line holds only
/// the deadline, the nearest numbered item above. Dates without such a phrase ("Công văn số
/// 20279-CV/VPTW ngày 22/01/2026") are references, not deadlines. A term in working days ("trong
/// vòng 05 ngày làm việc kể từ ngày nhận được công văn", "05 (năm) ngày làm việc kể từ ngày
/// 13/02/2026", "… kể từ ngày ký") is a deadline too: counted from the date it names, the day the
/// dispatch is received or the day it was issued (<see cref="SuggestionContext"/>), with the
/// calendar. (Ported from the 'registry' helper branch.)
/// </summary>
internal static partial class DispatchScanner
{
    public const int MaxTitleLength = 250;

    private const string MarkerPattern =
        @"(?<marker>TRUOC(?:\s+NGAY)?|CHAM\s+NHAT(?:\s+LA)?(?:\s+NGAY)?|DEN\s+HET(?:\s+NGAY)?|DEN\s+NGAY|HAN\s+CHOT(?:\s+LA)?(?:\s+NGAY)?|(?:THOI\s+)?HAN(?:\s+HOAN\s+THANH)?(?:\s+LA)?(?:\s+NGAY)?)";

    private const string DatePattern = @"(?<day>\d{1,2})\s*[/.\-]\s*(?<month>\d{1,2})\s*[/.\-]\s*(?<year>\d{4})";

    public static IReadOnlyList<SuggestedTask> Suggest(string dispatchText, SuggestionContext context)
    {
        var text = dispatchText.Normalize(NormalizationForm.FormC).Replace("\r\n", "\n", StringComparison.Ordinal);
        var lines = text.Split('\n');
        var issuedOn = context.IssuedOn ?? IssueDate(FoldKeepingLength(text));
        var suggestions = new List<SuggestedTask>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var folded = FoldKeepingLength(line);
            var terms = WorkingDaysInText().Matches(folded).Where(m => Days(m) is >= 1 and <= WorkingDaysTerm.MaxDays).ToList();
            foreach (var match in terms)
            {
                var from = match.Groups["day"].Success ? DateIn(match) : match.Groups["issued"].Success && issuedOn is { } issued ? issued : context.ReceivedOn;
                if (from is { } start && WorkingDaysTerm.Create(Days(match), start, "deadline") is { IsSuccess: true } term)
                {
                    Add(lines, i, line, folded, match, term.Value.DeadlineIn(context.Calendar), term.Value, suggestions);
                }
            }

            foreach (Match match in DeadlineInText().Matches(folded))
            {
                if (ToDeadline(match) is { } deadline && !terms.Exists(t => t.Index < match.Index + match.Length && match.Index < t.Index + t.Length))
                {
                    Add(lines, i, line, folded, match, deadline, null, suggestions);
                }
            }
        }

        return suggestions;
    }

    private static void Add(string[] lines, int i, string line, string folded, Match match, Deadline deadline, WorkingDaysTerm? term, List<SuggestedTask> suggestions)
    {
        var title = TitleBefore(line, folded, match.Index);
        if (title.Length < 10)
        {
            title = NearestNumberedItem(lines, i) ?? title;
        }

        if (title.Length == 0)
        {
            return;
        }

        var suggestion = new SuggestedTask(title, KindOf(title), deadline, Clean(line.Substring(match.Index, match.Length)), term);
        if (!suggestions.Exists(s => s.Title == suggestion.Title && s.Deadline == suggestion.Deadline))
        {
            suggestions.Add(suggestion);
        }
    }

    /// <summary>The number of working days a term names, in digits or in words ("05", "năm", "10 (mười)").</summary>
    private static int Days(Match match)
    {
        if (match.Groups["days"].Success)
        {
            return int.Parse(match.Groups["days"].ValueSpan, CultureInfo.InvariantCulture);
        }

        return Whitespace().Replace(match.Groups["word"].Value, " ") switch
        {
            "MOT" => 1, "HAI" => 2, "BA" => 3, "BON" => 4, "NAM" => 5, "SAU" => 6, "BAY" => 7, "TAM" => 8, "CHIN" => 9,
            "MUOI" => 10, "MUOI LAM" => 15, "HAI MUOI" => 20, "BA MUOI" => 30,
            _ => 0,
        };
    }

    private static DateOnly? DateIn(Match match)
    {
        var day = int.Parse(match.Groups["day"].ValueSpan, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups["month"].ValueSpan, CultureInfo.InvariantCulture);
        var year = int.Parse(match.Groups["year"].ValueSpan, CultureInfo.InvariantCulture);
        return month is >= 1 and <= 12 && day >= 1 && year is >= 2000 and <= 2198 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }

    /// <summary>The dispatch's own date, as its heading writes it: "Thanh Hoá, ngày 05 tháng 02 năm 2026".</summary>
    private static DateOnly? IssueDate(string folded) =>
        IssueDateInText().Match(folded) is { Success: true } match ? DateIn(match) : null;

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
        if (DateIn(match) is not { } date)
        {
            return null;
        }

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
        value = ServerlessWorkflow.Domain.Common.Text.SingleLine(value);
        if (value.Length > MaxTitleLength)
        {
            var cut = value.LastIndexOf(' ', MaxTitleLength - 1);
            value = value[..(cut > MaxTitleLength / 2 ? cut : MaxTitleLength - 1)].TrimEnd(' ', ',', ';') + "…";
        }

        return value;
    }

    [GeneratedRegex(@"(?<![A-Z0-9])" + MarkerPattern + @"[\s:*_]*(?:NGAY[\s*_]*)?" + DatePattern, RegexOptions.CultureInvariant)]
    private static partial Regex DeadlineInText();

    /// <summary>
    /// A term in working days: "(trong vòng | trong thời hạn | chậm nhất) N (chữ) ngày làm việc (,) kể từ
    /// | tính từ | sau ngày …", N in digits or words; counted from a date, the day of issue ("ký",
    /// "ban hành") or, for anything else ("nhận được công văn"), the day of receipt.
    /// </summary>
    [GeneratedRegex(@"(?<![A-Z0-9])(?:(?:TRONG|CHAM\s+NHAT)(?:\s+(?:VONG|THOI\s+HAN|THOI\s+GIAN))?\s+)?(?:(?<days>\d{1,3})\s*(?:\([A-Z\s]{1,20}\)\s*)?|(?<word>MUOI\s+LAM|HAI\s+MUOI|BA\s+MUOI|MOT|HAI|BA|BON|NAM|SAU|BAY|TAM|CHIN|MUOI)\s+)NGAY\s+LAM\s+VIEC\s*,?\s*(?:(?:KE|TINH)\s+TU|SAU)\s+(?:NGAY\s+)?(?:" + DatePattern + @"|(?<issued>(?:CONG\s+VAN\s+(?:NAY\s+)?(?:DUOC\s+)?)?(?:KY|BAN\s+HANH))|(?<received>[A-Z][^,;.:()]{0,60}))", RegexOptions.CultureInvariant)]
    private static partial Regex WorkingDaysInText();

    [GeneratedRegex(@"NGAY\s+(?<day>\d{1,2})\s+THANG\s+(?<month>\d{1,2})\s+NAM\s+(?<year>\d{4})", RegexOptions.CultureInvariant)]
    private static partial Regex IssueDateInText();

    [GeneratedRegex(@"(?:THOI\s+(?:HAN|GIAN)(?:\s+HOAN\s+THANH)?|HOAN\s+THANH)[\s:*_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LeadIn();

    [GeneratedRegex(@"^\d+(?:\.\d+)*\.?\s+\S", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedItem();

    [GeneratedRegex(@"^(?:\d+(?:\.\d+)*\.?|[a-zđ]\)|[-+•])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Numbering();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
