using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.ErrorReports;

/// <summary>
/// The short code a reporter keeps to follow a report: 8 characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L), drawn from a cryptographic random source.
/// </summary>
public readonly partial record struct TrackingCode
{
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    private TrackingCode(string value) => Value = value;

    public string Value { get; }

    public static TrackingCode New() => new(RandomNumberGenerator.GetString(Alphabet, 8));

    /// <summary>A code as a person types it back: case and surrounding spaces do not matter.</summary>
    public static Result<TrackingCode> Parse(string? text)
    {
        var value = (text ?? string.Empty).Trim().ToUpperInvariant();
        return Grammar().IsMatch(value) ? new TrackingCode(value) : Error.NotFound("report-not-found", "Không tìm thấy phản ánh với mã này.");
    }

    public override string ToString() => Value;

    [GeneratedRegex("^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}$")]
    private static partial Regex Grammar();
}

public enum ErrorReportStatus
{
    New,
    InProgress,
    Resolved,
    Rejected,
}

public static class ErrorReportStatuses
{
    public static string Name(ErrorReportStatus status) => status switch
    {
        ErrorReportStatus.New => "Mới tiếp nhận",
        ErrorReportStatus.InProgress => "Đang xử lý",
        ErrorReportStatus.Resolved => "Đã xử lý xong",
        ErrorReportStatus.Rejected => "Không xử lý",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>A status as the office's forms and programs name it (the names of the wire format).</summary>
    public static Result<ErrorReportStatus> Parse(string? text, string field = "status") => text?.Trim() switch
    {
        "new" => ErrorReportStatus.New,
        "in-progress" => ErrorReportStatus.InProgress,
        "resolved" => ErrorReportStatus.Resolved,
        "rejected" => ErrorReportStatus.Rejected,
        _ => Error.Validation(field, "invalid-status", "Trạng thái phải là new, in-progress, resolved hoặc rejected."),
    };
}

/// <summary>What a member reports: whose data, in which unit, which field, what it says and what it should say, and how to reach them.</summary>
public sealed record ErrorReportInput(string MemberName, string UnitName, string Field, string CurrentValue, string CorrectValue, string Contact)
{
    /// <summary>
    /// The report as filed, with the reporter's consent to the notice the form shows (the lawful
    /// basis for processing a member's data, Decree 13/2023/NĐ-CP): without it nothing is stored.
    /// <paramref name="consent"/> is the form's box (<c>on</c>, <c>yes</c>) or JSON's <c>true</c>.
    /// </summary>
    public static Result<ErrorReportInput> Create(string? memberName, string? unitName, string? field, string? currentValue, string? correctValue, string? contact, string? consent)
    {
        var v = new Validation();
        if (!ErrorReportConsent.Given(consent))
        {
            v.Add("consent", "consent-required", "Cần đồng ý để Ban Xây dựng Đảng dùng thông tin này xử lý phản ánh.");
        }

        var member = v.Take(Text.Clean(memberName, "memberName", 100), "memberName");
        var unit = v.Take(Text.Clean(unitName, "unitName", 200), "unitName");
        var which = v.Take(Text.Clean(field, "field", 100), "field");
        var current = v.Take(Text.Clean(currentValue, "currentValue", 500, required: false), "currentValue");
        var correct = v.Take(Text.Clean(correctValue, "correctValue", 500), "correctValue");
        var reach = v.Take(Text.Clean(contact, "contact", 200), "contact");
        return v.HasErrors ? v.ToError() : new ErrorReportInput(member!, unit!, which!, current!, correct!, reach!);
    }

    /// <summary>Whether this report is about <paramref name="memberName"/> (and, when given, reached at <paramref name="contact"/>): names compare without case, diacritics or extra spaces, contacts without spaces, dots or dashes.</summary>
    public bool Concerns(string memberName, string? contact) =>
        Text.Fold(MemberName) == Text.Fold(memberName)
        && (string.IsNullOrWhiteSpace(contact) || ContactKey(Contact) == ContactKey(contact));

    private static string ContactKey(string contact)
    {
        var key = new string(contact.Trim().ToLowerInvariant().Where(c => !char.IsWhiteSpace(c) && c is not '-' and not '(' and not ')').ToArray());
        var phone = key.Replace(".", string.Empty, StringComparison.Ordinal);
        if (phone.Length > 0 && phone.TrimStart('+').All(char.IsAsciiDigit))
        {
            return phone.StartsWith("+84", StringComparison.Ordinal) ? "0" + phone[3..] : phone;
        }

        return key;
    }

    /// <summary>
    /// Exact duplicates filed on the same Vietnam day fold into one report: this key is the same
    /// for them (fields compared after NFC and case folding) and differs otherwise.
    /// </summary>
    public string FoldKey(DateTimeOffset at)
    {
        var material = string.Join('\n', MemberName, UnitName, Field, CurrentValue, CorrectValue, Contact).ToUpperInvariant()
            + "\n" + VietnamTime.DateOf(at).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)))[..40];
    }
}

/// <summary>The reporter's consent to the form's notice: given or not, and which notice it was.</summary>
public static class ErrorReportConsent
{
    /// <summary>The notice's version, kept with each report (raise it when the notice's substance changes).</summary>
    public const string NoticeVersion = "1";

    public static bool Given(string? answer) => answer?.Trim().ToLowerInvariant() is "true" or "on" or "yes" or "1";
}

/// <summary>
/// A stored data-error report and where it stands. <see cref="ConsentAt"/> is when the reporter agreed
/// to the notice (<see cref="ConsentNotice"/> its version); <see cref="AnonymisedAt"/> is when the
/// member's details were erased — after the retention period of a closed report, or at the member's
/// request — keeping what the office needs for its figures (unit, field, status, dates).
/// </summary>
public sealed record ErrorReport(TrackingCode Code, ErrorReportInput Input, DateTimeOffset FiledAt, ErrorReportStatus Status, string ResolutionNote, DateTimeOffset UpdatedAt)
{
    /// <summary>What takes the place of erased details.</summary>
    public const string Erased = "(đã xóa)";

    public DateTimeOffset? ConsentAt { get; init; }

    public string? ConsentNotice { get; init; }

    public DateTimeOffset? AnonymisedAt { get; init; }

    /// <summary>The fold key the report was filed under (<see cref="ErrorReportInput.FoldKey"/>): a hash of its details, forgotten with them.</summary>
    public string? FoldKey { get; init; }

    public bool IsClosed => Status is ErrorReportStatus.Resolved or ErrorReportStatus.Rejected;

    public bool IsAnonymised => AnonymisedAt is not null;

    /// <summary>A closed report whose retention period has run out since it was closed, not yet anonymised.</summary>
    public bool IsDueForAnonymisation(DateTimeOffset now, TimeSpan retention) => IsClosed && !IsAnonymised && UpdatedAt + retention <= now;

    /// <summary>
    /// The report without the member's details: name, values, contact and the office's note are
    /// erased; unit, field, status and dates stay. At the member's request an open report is also
    /// closed (nothing is left to work on).
    /// </summary>
    public ErrorReport Anonymise(DateTimeOffset now, bool onRequest)
    {
        var erased = this with
        {
            Input = Input with
            {
                MemberName = Erased,
                CurrentValue = Input.CurrentValue.Length > 0 ? Erased : string.Empty,
                CorrectValue = Erased,
                Contact = Erased,
            },
            ResolutionNote = ResolutionNote.Length > 0 ? Erased : string.Empty,
            AnonymisedAt = now,
            FoldKey = null,
        };
        return onRequest && !IsClosed
            ? erased with { Status = ErrorReportStatus.Rejected, ResolutionNote = "Dữ liệu đã được xóa theo yêu cầu.", UpdatedAt = now }
            : erased;
    }

    /// <summary>
    /// The Party Building Board's workflow: new → in progress → resolved or rejected; a new report
    /// may be rejected at once (spam, not ours). Rejecting needs a note that says why.
    /// </summary>
    public Result<ErrorReport> MoveTo(ErrorReportStatus next, string? note, DateTimeOffset now)
    {
        if (!CanMove(Status, next))
        {
            return Error.Conflict("invalid-transition", $"Không thể chuyển từ '{ErrorReportStatuses.Name(Status)}' sang '{ErrorReportStatuses.Name(next)}'.");
        }

        var cleanNote = Text.Clean(note, "note", 1000, required: next == ErrorReportStatus.Rejected, multiline: true);
        if (!cleanNote.IsSuccess)
        {
            return next == ErrorReportStatus.Rejected && string.IsNullOrWhiteSpace(note)
                ? Error.Validation("note", "required", "Hãy ghi lý do không xử lý.")
                : cleanNote.Error!;
        }

        return this with { Status = next, ResolutionNote = cleanNote.Value.Length > 0 ? cleanNote.Value : ResolutionNote, UpdatedAt = now };
    }

    /// <summary>Where this report may go next (none once resolved or rejected).</summary>
    public IReadOnlyList<ErrorReportStatus> NextStatuses => Enum.GetValues<ErrorReportStatus>().Where(s => CanMove(Status, s)).ToList();

    private static bool CanMove(ErrorReportStatus from, ErrorReportStatus to) => (from, to) switch
    {
        (ErrorReportStatus.New, ErrorReportStatus.InProgress) => true,
        (ErrorReportStatus.New, ErrorReportStatus.Rejected) => true,
        (ErrorReportStatus.InProgress, ErrorReportStatus.Resolved) => true,
        (ErrorReportStatus.InProgress, ErrorReportStatus.Rejected) => true,
        _ => false,
    };
}
