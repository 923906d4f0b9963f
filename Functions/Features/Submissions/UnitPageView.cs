using System.Globalization;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Statistics;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Functions.Pages;

namespace ServerlessWorkflow.Functions.Features.Submissions;

/// <summary>
/// The unit's page: the directive, each of its tasks with its deadline (dd/MM/yyyy) and days left,
/// a form per task (status, note) that works without JavaScript, and the history of what it sent.
/// </summary>
public static class UnitPageView
{
    /// <summary>The hidden field of each rendered task form: a fresh idempotency key, so posting the same form twice stores one version.</summary>
    public const string FormKeyField = "idempotencyKey";

    public static Markup Render(UnitWorkspaceView view, string token, TaskId? confirmed, TaskId? failedTask, Error? error) =>
        Render(view, token, confirmed, failedTask, error, new Dictionary<TaskId, IReadOnlyList<Upload>>(), null);

    public static Markup Render(UnitWorkspaceView view, string token, TaskId? confirmed, TaskId? failedTask, Error? error, IReadOnlyDictionary<TaskId, IReadOnlyList<Upload>> uploads, string? uploadProblem)
    {
        var d = view.Directive;
        var unitName = view.Unit?.Name ?? view.UnitId.Value;
        return Html.Of($"""
            <section>
            <p class="muted">Công văn số {d.Number}, ngày {VietnamTime.Format(d.IssuedOn)} — {d.Issuer}</p>
            <h1>{d.Subject}</h1>
            <p>Đơn vị: <strong>{unitName}</strong></p>
            </section>
            {Html.Join(view.Tasks, t => Task(t, view.Now, token, confirmed == t.Task.Id, failedTask == t.Task.Id ? error : null, uploads.GetValueOrDefault(t.Task.Id) ?? [], failedTask == t.Task.Id ? uploadProblem : null))}
            <p class="muted">Đường dẫn này dành riêng cho đơn vị của đồng chí; xin đừng chia sẻ ra ngoài.</p>
            """);
    }

    private static Markup Task(UnitTaskView view, DateTimeOffset now, string token, bool confirmed, Error? error, IReadOnlyList<Upload> uploads, string? uploadProblem)
    {
        var task = view.Task;
        var standing = view.Standing;
        var stateClass = standing.State switch
        {
            AssignmentState.SubmittedOnTime => "ok",
            AssignmentState.SubmittedLate or AssignmentState.Overdue => "late",
            _ => "warn",
        };
        var current = standing.Latest?.Status;
        return Html.Of($"""
            <section id="task-{task.Id.Value}">
            <h2>{task.Title}</h2>
            <p>Hạn: <strong>{task.Deadline.Display}</strong> — <span class="{stateClass}">{Remaining(task.Deadline, standing, now)}</span></p>
            {Html.When(confirmed, Html.Of($"<p class=\"notice\" role=\"status\">Đã ghi nhận báo cáo của đơn vị lúc {(standing.Latest is { } l ? VietnamTime.FormatDateTime(l.At) : string.Empty)}. Cảm ơn đồng chí.</p>"))}
            {Html.When(error is not null, Errors(error))}
            {Html.When(task.Kind == TaskKind.Statistics, Statistics(task, token, uploads, uploadProblem))}
            <form method="post" action="/u/{token}/tasks/{task.Id.Value}" enctype="multipart/form-data">
            <input type="hidden" name="{FormKeyField}" value="{System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true)}">
            <label for="status-{task.Id.Value}">Tình trạng</label>
            <select id="status-{task.Id.Value}" name="status" required>
            <option value="done"{Html.Selected(current != SubmissionStatus.InProgress)}>{SubmissionStatuses.Name(SubmissionStatus.Done)}</option>
            <option value="in-progress"{Html.Selected(current == SubmissionStatus.InProgress)}>{SubmissionStatuses.Name(SubmissionStatus.InProgress)}</option>
            </select>
            <label for="note-{task.Id.Value}">Ghi chú, kết quả (không bắt buộc)</label>
            <textarea id="note-{task.Id.Value}" name="note" maxlength="{SubmissionInput.MaxNoteLength}"></textarea>
            <label for="files-{task.Id.Value}">Tệp đính kèm (không bắt buộc, ví dụ danh sách cán bộ quản trị)</label>
            <input id="files-{task.Id.Value}" type="file" name="files" multiple>
            <button type="submit">Gửi báo cáo</button>
            </form>
            {History(view.History)}
            </section>
            """);
    }

    private static Markup Statistics(DirectiveTask task, string token, IReadOnlyList<Upload> uploads, string? problem)
    {
        var latest = uploads.OrderByDescending(u => u.Id.Value, StringComparer.Ordinal).Take(3).ToList();
        return Html.Of($"""
            <h3>Gửi bảng thống kê theo mẫu</h3>
            {Html.When(problem is not null, Html.Of($"<div class=\"errors\" role=\"alert\">{problem}</div>"))}
            <form method="post" action="/u/{token}/tasks/{task.Id.Value}/statistics" enctype="multipart/form-data">
            <label for="file-{task.Id.Value}">Tệp Excel (.xlsx) theo mẫu kèm công văn</label>
            <input id="file-{task.Id.Value}" type="file" name="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required>
            <button type="submit">Tải bảng thống kê lên</button>
            </form>
            {Html.Join(latest, u => Html.Of($"""
                <p>Tệp gửi lúc {VietnamTime.FormatDateTime(u.ReceivedAt)}: <strong class="{(u.State == UploadState.Accepted ? "ok" : u.State == UploadState.Rejected ? "late" : "warn")}">{UploadStateName(u.State)}</strong></p>
                {Html.When(u.State == UploadState.Rejected && u == latest[0], Html.Of($"<ul class=\"errors\">{Html.Join(u.Errors.Take(30), e => Html.Of($"<li>{e.Message}</li>"))}</ul>"))}
                """))}
            """);
    }

    private static string UploadStateName(UploadState state) => state switch
    {
        UploadState.Accepted => "đã chấp nhận, số liệu đã được tổng hợp",
        UploadState.Rejected => "bị từ chối — xin sửa các lỗi dưới đây rồi gửi lại",
        _ => "đang xử lý — tải lại trang sau ít giây",
    };

    private static string Remaining(Deadline deadline, AssignmentStanding standing, DateTimeOffset now) => standing.State switch
    {
        AssignmentState.SubmittedOnTime => "đã hoàn thành đúng hạn",
        AssignmentState.SubmittedLate => $"đã hoàn thành, muộn {standing.DaysOverdue.ToString(CultureInfo.InvariantCulture)} ngày",
        AssignmentState.Overdue => $"quá hạn {standing.DaysOverdue.ToString(CultureInfo.InvariantCulture)} ngày",
        _ => deadline.DaysLeft(now) switch
        {
            0 => "hôm nay là ngày cuối",
            1 => "còn 1 ngày",
            var n => $"còn {n.ToString(CultureInfo.InvariantCulture)} ngày",
        },
    };

    private static Markup History(IReadOnlyList<SubmissionVersion> history) =>
        history.Count == 0
            ? Html.Of($"<p class=\"muted\">Đơn vị chưa gửi báo cáo nào cho nhiệm vụ này.</p>")
            : Html.Of($"""
                <h3>Các lần đã gửi</h3>
                <div class="scroll"><table>
                <thead><tr><th>Thời điểm</th><th>Tình trạng</th><th>Ghi chú</th></tr></thead>
                <tbody>{Html.Join(history, v => Html.Of($"<tr><td>{VietnamTime.FormatDateTime(v.At)}{Html.When(v.Late, Html.Of($" <span class=\"late\">(muộn)</span>"))}</td><td>{SubmissionStatuses.Name(v.Status)}</td><td>{v.Note}{Html.When(v.Attachments.Count > 0, Html.Of($" <span class=\"muted\">({v.Attachments.Count} tệp)</span>"))}</td></tr>"))}</tbody>
                </table></div>
                """);

    public static Markup Errors(Error? error) => error is null ? Markup.Empty : Html.Of($"""
        <div class="errors" role="alert"><strong>{error.Message}</strong>
        {Html.When(error.Fields.Count > 0, Html.Of($"<ul>{Html.Join(error.Fields, f => Html.Of($"<li>{FieldName(f.Field)}: {f.Message}</li>"))}</ul>"))}
        </div>
        """);

    private static string FieldName(string field) => field switch
    {
        "status" => "Tình trạng",
        "note" => "Ghi chú",
        "files" => "Tệp đính kèm",
        _ => field,
    };
}
