using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>A task found in a dispatch: a suggestion for the office to confirm or edit, never registered as is.</summary>
/// <param name="Title">The task's own text, whole, without numbering, emphasis or its deadline phrase.</param>
/// <param name="Kind">Statistics when the task asks for a report or figures on a template, otherwise confirmation.</param>
/// <param name="Deadline">The deadline as the phrase means it ("trước ngày 26/02/2026" → end of 25/02/2026); null when the dispatch gives the task none.</param>
/// <param name="Source">The phrase the deadline was read from, as written ("Trước ngày 26/02/2026"); null with no deadline.</param>
/// <param name="Term">For a deadline in working days, the term it was read as ("05 ngày làm việc kể từ ngày 13/02/2026"); its last day is <paramref name="Deadline"/>.</param>
/// <param name="Recipients">The units or groups the dispatch gives the task to, as it names them ("Văn phòng Đảng ủy", "Các Đảng bộ, chi bộ trực thuộc"), for the clerk to check.</param>
public sealed record SuggestedTask(string Title, TaskKind Kind, Deadline? Deadline, string? Source, WorkingDaysTerm? Term, IReadOnlyList<string> Recipients);

/// <summary>
/// What the reader needs besides the text to read a term in working days: the calendar to count
/// with, the day the dispatch is received (today, when the office registers it: "kể từ ngày nhận
/// được công văn") and the day it was issued, if the office typed it ("kể từ ngày ký"; otherwise
/// the dispatch's own "…, ngày 05 tháng 02 năm 2026").
/// </summary>
public sealed record SuggestionContext(WorkingCalendar Calendar, DateOnly ReceivedOn, DateOnly? IssuedOn = null);

/// <summary>
/// What a pasted dispatch says, for the office's new-directive form to fill: its number (null when
/// the dispatch leaves it blank, "Số - CV/ĐU"), date (null when the day is blank), issuing body,
/// subject (trích yếu), addressees (Kính gửi) and tasks.
/// </summary>
public sealed record DispatchReading(
    string? Number,
    DateOnly? IssuedOn,
    string? Issuer,
    string? Subject,
    IReadOnlyList<string> Addressees,
    IReadOnlyList<SuggestedTask> Tasks)
{
    public static readonly DispatchReading Nothing = new(null, null, null, null, [], []);

    public bool FoundAnything => Number is not null || IssuedOn is not null || Issuer is not null || Subject is not null || Tasks.Count > 0;
}

/// <summary>
/// Reads a pasted dispatch (công văn) as a clerk would: the heading (<see cref="DispatchHeading"/>),
/// the addressees, and the tasks of its body with their deadlines (<see cref="DeadlinePhrases"/>,
/// in Vietnam time) and the units or groups each names (<see cref="DispatchItems"/>). Text copied
/// from a PDF, a Word file or a markdown conversion reads alike (<see cref="DispatchText"/>);
/// composed or decomposed Unicode, CRLF or LF. Nothing here is registered: the office checks it.
/// </summary>
public static class DispatchReader
{
    /// <summary>More text than any dispatch: the rest is not read.</summary>
    public const int MaxLength = 200_000;

    public static DispatchReading Read(string dispatchText, SuggestionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var text = dispatchText ?? string.Empty;
        var blocks = DispatchText.Blocks(text.Length > MaxLength ? text[..MaxLength] : text);
        if (blocks.Count == 0)
        {
            return DispatchReading.Nothing;
        }

        var headingEnd = DispatchHeading.HeadingEnd(blocks);
        var issuedOn = DispatchHeading.IssuedOn(blocks, headingEnd);
        var (addressees, bodyStart) = DispatchHeading.Addressees(blocks, headingEnd);
        var tasks = DispatchItems.Read(blocks, bodyStart == headingEnd && addressees.Count == 0 ? 0 : bodyStart, addressees, context, context.IssuedOn ?? issuedOn);
        return new DispatchReading(
            DispatchHeading.Number(blocks, headingEnd),
            issuedOn,
            DispatchHeading.Issuer(blocks, headingEnd, string.Join('\n', blocks.Select(b => b.Text))),
            DispatchHeading.Subject(blocks, headingEnd),
            addressees,
            tasks);
    }
}
