using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Common;

namespace ServerlessWorkflow.Domain.Time;

/// <summary>
/// A task's deadline, stored as the exact instant it passes. A date means "by the end of that
/// day, Vietnam time": 25/02/2026 passes at 26/02/2026 00:00:00 UTC+7. "Trước ngày 26/02/2026"
/// (before the 26th) therefore names the same deadline as "chậm nhất ngày 25/02/2026" (at the
/// latest the 25th). A submission at <see cref="PassesAt"/> or later is late.
/// </summary>
public readonly partial record struct Deadline(DateTimeOffset PassesAt) : IComparable<Deadline>
{
    /// <summary>Due by the end of <paramref name="date"/> in Vietnam.</summary>
    public static Deadline EndOfDay(DateOnly date) => new(VietnamTime.EndOf(date));

    /// <summary>The last Vietnam calendar day on which the task is still on time.</summary>
    public DateOnly LastDay => VietnamTime.DateOf(PassesAt.AddTicks(-1));

    /// <summary>Whether the deadline falls exactly at the end of a Vietnam day (so it reads as a date alone).</summary>
    public bool IsEndOfDay => VietnamTime.ToVietnam(PassesAt).TimeOfDay == TimeSpan.Zero;

    public bool HasPassed(DateTimeOffset now) => now >= PassesAt;

    /// <summary>Calendar days from today (Vietnam) to the last day: 0 when today is the last day; negative once passed.</summary>
    public int DaysLeft(DateTimeOffset now) => LastDay.DayNumber - VietnamTime.DateOf(now).DayNumber;

    /// <summary>Calendar days late: 1 on the first day after the last day, 0 while not passed.</summary>
    public int DaysOverdue(DateTimeOffset now) => HasPassed(now) ? Math.Max(1, VietnamTime.DateOf(now).DayNumber - LastDay.DayNumber) : 0;

    /// <summary>How people read it: "25/02/2026" for the end of a day, else "14:30 25/02/2026".</summary>
    public string Display => IsEndOfDay ? VietnamTime.Format(LastDay) : VietnamTime.FormatDateTime(PassesAt);

    public int CompareTo(Deadline other) => PassesAt.CompareTo(other.PassesAt);

    public static bool operator <(Deadline left, Deadline right) => left.CompareTo(right) < 0;

    public static bool operator >(Deadline left, Deadline right) => left.CompareTo(right) > 0;

    public static bool operator <=(Deadline left, Deadline right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Deadline left, Deadline right) => left.CompareTo(right) >= 0;

    /// <summary>
    /// The API's form: an ISO 8601 date (<c>2026-02-25</c>: the end of that day in Vietnam) or a
    /// date-time with an explicit offset (<c>2026-02-25T17:00:00+07:00</c>: that instant).
    /// </summary>
    public static Result<Deadline> ParseIso(string? text, string field)
    {
        var value = (text ?? string.Empty).Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return EndOfDay(date);
        }

        if (OffsetDateTime().IsMatch(value)
            && DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return new Deadline(instant);
        }

        return Error.Validation(field, "invalid-deadline", "Hạn chưa đúng: xin ghi ngày/tháng/năm, ví dụ 25/02/2026.");
    }

    /// <summary>
    /// How people write deadlines (pages, imports, the dispatch's own words), in dd/MM/yyyy:
    /// "trước ngày 26/02/2026" → end of 25/02/2026; "chậm nhất ngày 25/02/2026", "đến hết ngày
    /// 25/02/2026", "hạn 25/02/2026" or the date alone → end of 25/02/2026. Diacritics and case do not matter.
    /// </summary>
    public static Result<Deadline> ParseWritten(string? text, string field)
    {
        var folded = Text.Fold(text ?? string.Empty);
        var match = WrittenDate().Match(folded);
        if (!match.Success || !VietnamTime.TryParseDate(match.Groups["date"].Value.Replace('-', '/').Replace('.', '/'), out var date))
        {
            return Error.Validation(field, "invalid-date", "Ngày phải viết dạng ngày/tháng/năm, ví dụ 25/02/2026.");
        }

        var before = match.Groups["before"].Success;
        return EndOfDay(before ? date.AddDays(-1) : date);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex OffsetDateTime();

    [GeneratedRegex(@"^(?:(?<before>truoc\s+ngay)|(?:cham\s+nhat|den\s+het|han(?:\s+chot)?|hoan\s+thanh)?\s*(?:ngay)?)?\s*:?\s*(?<date>\d{1,2}[/.-]\d{1,2}[/.-]\d{4})\s*\.?$")]
    private static partial Regex WrittenDate();
}
