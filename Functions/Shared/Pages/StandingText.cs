using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Functions.Shared.Pages;

/// <summary>Where a unit stands on a task, in the few words a board's cell, a unit's record and the board's workbook write alike.</summary>
public static class StandingText
{
    /// <summary>"Đúng hạn", "Muộn 2 ngày làm việc", "Quá hạn 5 ngày làm việc", "Đang thực hiện", "Chưa đến hạn"; days followed by <paramref name="dayUnit"/> ("ngày làm việc" or "ngày").</summary>
    public static string Words(AssignmentStanding s, string dayUnit) => s.State switch
    {
        AssignmentState.SubmittedOnTime => "Đúng hạn",
        AssignmentState.SubmittedLate => $"Muộn {Format.Count(s.DaysOverdue)} {dayUnit}",
        AssignmentState.Overdue => $"Quá hạn {Format.Count(s.DaysOverdue)} {dayUnit}",
        _ => s.LatestStatus == SubmissionStatus.InProgress ? "Đang thực hiện" : "Chưa đến hạn",
    };

    /// <summary>A cell of the board: <see cref="Words"/> with the day a task was completed on time ("Đúng hạn · 06/02/2026"), and its style (ok, lateok, late, wait).</summary>
    public static (string Css, string Text) Cell(AssignmentStanding s, string dayUnit) => s.State switch
    {
        AssignmentState.SubmittedOnTime => ("ok", Words(s, dayUnit) + (s.CompletedAt is { } at ? " · " + VietnamTime.FormatDate(at) : string.Empty)),
        AssignmentState.SubmittedLate => ("lateok", Words(s, dayUnit)),
        AssignmentState.Overdue => ("late", Words(s, dayUnit)),
        _ => ("wait", Words(s, dayUnit)),
    };
}
