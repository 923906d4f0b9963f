using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>A deadline phrase found in a block: where it stands (with its lead-in, "thời hạn hoàn thành:"), what it means, and its words as written.</summary>
internal sealed record DeadlinePhrase(int Start, int End, Deadline Deadline, WorkingDaysTerm? Term, string Source);

/// <summary>
/// The deadlines a dispatch writes, all in Vietnam time: every date introduced by a deadline phrase
/// ("trước ngày 26/02/2026" → end of 25/02/2026; "chậm nhất ngày", "đến hết ngày", "thời hạn",
/// "hạn" → end of that day; the date also as "ngày 29 tháng 5 năm 2026"; with an hour, "trước 17
/// giờ 00 ngày 15/7/2026" → 17:00 that day). Dates without such a
/// phrase ("Công văn số 20279-CV/VPTW ngày 22/01/2026") are references, not deadlines. A term in
/// working days ("trong vòng 05 ngày làm việc kể từ ngày nhận được công văn", "05 (năm) ngày làm
/// việc kể từ ngày 13/02/2026", "… kể từ ngày ký") is a deadline too, counted with the calendar
/// from the date it names, the day the dispatch was issued or the day it is received
/// (<see cref="SuggestionContext"/>); a term counted from some other event ("kể từ ngày nhận được
/// dự thảo", "sau ngày tổ chức hội nghị") has no date to count from and is no deadline.
/// </summary>
internal static partial class DeadlinePhrases
{
    private const string MarkerPattern =
        @"(?<marker>TRUOC(?:\s+NGAY)?|CHAM\s+NHAT(?:\s+LA)?(?:\s+NGAY)?|DEN\s+HET(?:\s+NGAY)?|DEN\s+NGAY|HAN\s+CHOT(?:\s+LA)?(?:\s+NGAY)?|(?:THOI\s+)?HAN(?:\s+CUOI(?:\s+CUNG)?)?(?:\s+HOAN\s+THANH)?(?:\s+LA)?(?:\s*:)?(?:\s+NGAY)?)";

    private const string DatePattern =
        @"(?:(?<day>\d{1,2})\s*[/.\-]\s*(?<month>\d{1,2})\s*[/.\-]\s*(?<year>\d{4})|(?<day>\d{1,2})\s+THANG\s+(?<month>\d{1,2})\s+NAM\s+(?<year>\d{4}))";

    /// <summary>An hour of the day before the date: "17 giờ 00", "17h00", "16h", "17:00" (then the deadline is that moment).</summary>
    private const string TimePattern = @"(?:(?<hour>\d{1,2})\s*(?:GIO|H|:)\s*(?<minute>\d{2})?\s*(?:PHUT\s*)?,?\s*)?";

    public static IReadOnlyList<DeadlinePhrase> In(Block block, SuggestionContext context, DateOnly? issuedOn)
    {
        var text = block.Text;
        var folded = block.Folded;
        var found = new List<DeadlinePhrase>();
        foreach (Match match in WorkingDaysInText().Matches(folded))
        {
            var days = Days(match);
            var from = match.Groups["day"].Success ? DateIn(match)
                : match.Groups["issued"].Success ? issuedOn
                : match.Groups["received"].Success ? context.ReceivedOn
                : null;
            if (days is >= 1 and <= WorkingDaysTerm.MaxDays && from is { } start && WorkingDaysTerm.Create(days, start, "deadline") is { IsSuccess: true } term)
            {
                found.Add(Phrase(text, folded, match, term.Value.DeadlineIn(context.Calendar), term.Value));
            }
            else
            {
                // A term from an unknown event: no deadline, but its words are not read as a date either.
                found.Add(new DeadlinePhrase(match.Index, match.Index + match.Length, default, null, string.Empty));
            }
        }

        foreach (Match match in DeadlineInText().Matches(folded))
        {
            if (ToDeadline(match) is { } deadline && !found.Exists(t => t.Start < match.Index + match.Length && match.Index < t.End))
            {
                found.Add(Phrase(text, folded, match, deadline, null));
            }
        }

        return found.Where(p => p.Source.Length > 0).OrderBy(p => p.Start).ToList();
    }

    /// <summary>The dispatch's own date, as its heading writes it: "Thanh Hoá, ngày 05 tháng 02 năm 2026" (none when the day is left blank).</summary>
    public static DateOnly? IssueDate(string folded) =>
        IssueDateInText().Match(folded) is { Success: true } match ? DateIn(match) : null;

    private static DeadlinePhrase Phrase(string text, string folded, Match match, Deadline deadline, WorkingDaysTerm? term)
    {
        var leadIn = LeadIn().Match(folded[..match.Index]);
        var start = leadIn.Success ? leadIn.Index : match.Index;
        var source = DispatchText.Tidy(text.Substring(match.Index, match.Length)).TrimEnd('.', ',', ';');
        return new DeadlinePhrase(start, match.Index + match.Length, deadline, term, source);
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

    private static Deadline? ToDeadline(Match match)
    {
        if (DateIn(match) is not { } date)
        {
            return null;
        }

        if (match.Groups["hour"].Success)
        {
            var hour = int.Parse(match.Groups["hour"].ValueSpan, CultureInfo.InvariantCulture);
            var minute = match.Groups["minute"].Success ? int.Parse(match.Groups["minute"].ValueSpan, CultureInfo.InvariantCulture) : 0;
            return hour is >= 1 and <= 23 && minute is >= 0 and <= 59 ? new Deadline(VietnamTime.StartOf(date).AddHours(hour).AddMinutes(minute)) : null;
        }

        var before = match.Groups["marker"].Value.StartsWith("TRUOC", StringComparison.Ordinal);
        return Deadline.EndOfDay(before ? date.AddDays(-1) : date);
    }

    [GeneratedRegex(@"(?<![A-Z0-9])" + MarkerPattern + @"[\s:_]*" + TimePattern + @"(?:NGAY[\s_]*)?" + DatePattern, RegexOptions.CultureInvariant)]
    private static partial Regex DeadlineInText();

    /// <summary>
    /// A term in working days: "(trong vòng | trong thời hạn | chậm nhất) N (chữ) ngày làm việc (,) kể từ
    /// | tính từ | sau (ngày | khi) …", N in digits or words; counted from a date, the day of issue ("ký",
    /// "ban hành"), the day the dispatch is received ("nhận được công văn này"), or from another event.
    /// </summary>
    [GeneratedRegex(@"(?<![A-Z0-9])(?:(?:TRONG|CHAM\s+NHAT)(?:\s+(?:VONG|THOI\s+HAN|THOI\s+GIAN))?\s+)?(?:(?<days>\d{1,3})\s*(?:\([A-Z\s]{1,20}\)\s*)?|(?<word>MUOI\s+LAM|HAI\s+MUOI|BA\s+MUOI|MOT|HAI|BA|BON|NAM|SAU|BAY|TAM|CHIN|MUOI)\s+)NGAY\s+LAM\s+VIEC\s*,?\s*(?:(?:KE|TINH)\s+TU|SAU)\s+(?:(?:NGAY|KHI)\s+)?(?:" + DatePattern
        + @"|(?<issued>(?:CONG\s+VAN\s+(?:NAY\s+)?(?:DUOC\s+)?)?(?:KY|BAN\s+HANH)(?:\s+(?:CONG\s+VAN|VAN\s+BAN))?(?:\s+NAY)?)"
        + @"|(?<received>NHAN(?:\s+DUOC)?(?:\s+(?:CONG\s+VAN|VAN\s+BAN|THONG\s+BAO))?(?:\s+NAY)?)(?=\s*(?:[.,;:)]|$))"
        + @"|(?<other>[A-Z][^,;.:()]{0,60}))", RegexOptions.CultureInvariant)]
    private static partial Regex WorkingDaysInText();

    [GeneratedRegex(@",\s*NGAY\s+(?<day>\d{1,2})\s+THANG\s+(?<month>\d{1,2})\s+NAM\s+(?<year>\d{4})", RegexOptions.CultureInvariant)]
    private static partial Regex IssueDateInText();

    [GeneratedRegex(@"(?:THOI\s+(?:HAN|GIAN)(?:\s+(?:HOAN\s+THANH|THUC\s+HIEN))?|HOAN\s+THANH|TU\s+NAY)[\s:_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LeadIn();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
