using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;

namespace ServerlessWorkflow.Functions.Shared.Pages;

/// <summary>Where a unit stands on a task, in the few words a board's cell, a unit's record and the board's workbook write alike.</summary>
public static class StandingText
{
    /// <summary>
    /// "Đúng hạn", "Muộn 2 ngày làm việc", "Quá hạn 5 ngày làm việc", "Đang thực hiện", "Chưa đến hạn";
    /// days followed by <paramref name="dayUnit"/> ("ngày làm việc" or "ngày"). A task without a deadline
    /// is never late: "Đã hoàn thành" or "Chưa báo cáo"; a cancelled one reads "Đã hủy".
    /// </summary>
    public static string Words(AssignmentStanding s, string dayUnit, DirectiveTask task)
    {
        if (task.Cancelled is not null)
        {
            return s.CompletedAt is null ? "Đã hủy" : "Đã hủy (đơn vị đã báo cáo xong)";
        }

        return s.State switch
        {
            AssignmentState.SubmittedOnTime => task.Deadline is null ? "Đã hoàn thành" : "Đúng hạn",
            AssignmentState.SubmittedLate => $"Muộn {Format.Count(s.DaysOverdue)} {dayUnit}",
            AssignmentState.Overdue => $"Quá hạn {Format.Count(s.DaysOverdue)} {dayUnit}",
            _ => s.LatestStatus == SubmissionStatus.InProgress ? "Đang thực hiện" : task.Deadline is null ? "Chưa báo cáo" : "Chưa đến hạn",
        };
    }

    /// <summary>A cell of the board: <see cref="Words"/> with the day a task was completed ("Đúng hạn · 06/02/2026"), and its style (ok, lateok, late, wait; na for a cancelled task).</summary>
    public static (string Css, string Text) Cell(AssignmentStanding s, string dayUnit, DirectiveTask task) => task.Cancelled is not null
        ? ("na", Words(s, dayUnit, task))
        : s.State switch
        {
            AssignmentState.SubmittedOnTime => ("ok", Words(s, dayUnit, task) + (s.CompletedAt is { } at ? " · " + VietnamTime.FormatDate(at) : string.Empty)),
            AssignmentState.SubmittedLate => ("lateok", Words(s, dayUnit, task)),
            AssignmentState.Overdue => ("late", Words(s, dayUnit, task)),
            _ => ("wait", Words(s, dayUnit, task)),
        };
}
