using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessWorkflow.Domain.Accounts;
using ServerlessWorkflow.Domain.Audit;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Functions.Hosting.Security;
using ServerlessWorkflow.Functions.Shared.Audit;
using ServerlessWorkflow.Functions.Shared.Http;
using ServerlessWorkflow.Functions.Shared.Pages;

namespace ServerlessWorkflow.Functions.Features.CheckDeadlines;

/// <summary>
/// One unit in one directive, reached from the directive's board (the unit's name, or a cell for
/// its task): <c>GET /office/directives/{id}/units/{unitId}</c> (OfficeAssignment: per task, its
/// standing, every version the unit sent with its time, on-time/late mark, note and files — downloaded
/// through DownloadAttachment — then the steps recorded with their emails, the next step and when;
/// where the unit's mail goes and every email about it) and
/// <c>POST /office/directives/{id}/units/{unitId}/tasks/{taskId}</c> (OfficeLadderAction, a form
/// with its token): <c>remind</c> — send the unit a reminder now (<see cref="LadderDesk.RemindAsync"/>),
/// <c>hold</c> — hold the ladder through a day, <c>release</c> — take the hold off. A successful
/// post answers SeeOther back to the page with what was done; a refused one shows the page again
/// with the problem at the task and what was typed.
/// </summary>
public static class UnitLadderPages
{
    public static IEndpointRouteBuilder MapUnitLadderPages(this IEndpointRouteBuilder app)
    {
        var office = app.MapGroup("/office/directives/{id}/units/{unitId}").RequireOfficeRole(OfficeRole.VanPhong, OfficeRole.ThuongTruc);
        office.MapGet("/", (string id, string unitId, string? da, string? nv, string? gui, ClaimsPrincipal user, LadderDesk desk, IStoredFiles files, UnitLinkPage links, CancellationToken cancellationToken) =>
            ShowAsync(id, unitId, new UnitLadderNotice(da, nv, gui), null, user, desk, files, links, cancellationToken)).WithName("OfficeAssignment").AsPage();
        office.MapPost("/tasks/{taskId}", ActAsync).WithName("OfficeLadderAction").RequireOfficeRole(OfficeRole.VanPhong).WithFormBody<LadderActionForm>(LadderActionForm.MaxBody).AsPage();
        return app;
    }

    private static async Task<Results<SeeOther, RazorComponentResult>> ActAsync(
        string id, string unitId, string taskId, Body<LadderActionForm> body, ClaimsPrincipal user, LadderDesk desk, IStoredFiles files, OutboxSender sender, OfficeAudit audit, UnitLinkPage links, CancellationToken cancellationToken)
    {
        if (body.Refusal is { } refused)
        {
            return await ShowAsync(id, unitId, null, new FailedAction(taskId, refused.AsError(), LadderActionForm.Empty), user, desk, files, links, cancellationToken);
        }

        var form = body.Value;
        var back = $"/office/directives/{id}/units/{unitId}";
        switch (form.Action)
        {
            case LadderActionForm.Remind:
                var reminded = await desk.RemindAsync(id, taskId, unitId, cancellationToken);
                if (reminded.IsSuccess)
                {
                    await audit.RecordAsync(user, AuditAction.UnitRemindedNow, cancellationToken, subject: taskId, summary: $"Nhiệm vụ {taskId}: thư {reminded.Value.Id}", directiveId: id, unitId: unitId);
                    await sender.SendNowAsync(reminded.Value.Scope, reminded.Value.Id, cancellationToken);
                    return new SeeOther($"{back}?da=nhac&nv={taskId}&gui={reminded.Value.Id}");
                }

                return await ShowAsync(id, unitId, null, new FailedAction(taskId, reminded.Error!, form), user, desk, files, links, cancellationToken);
            case LadderActionForm.Hold:
                var held = await desk.HoldAsync(id, taskId, unitId, form.Through, form.Note, cancellationToken);
                if (!held.IsSuccess)
                {
                    return await ShowAsync(id, unitId, null, new FailedAction(taskId, held.Error!, form), user, desk, files, links, cancellationToken);
                }

                await audit.RecordAsync(user, AuditAction.LadderHeld, cancellationToken, subject: taskId, summary: $"Nhiệm vụ {taskId}: đến hết ngày {form.Through}. {form.Note}".Trim(), directiveId: id, unitId: unitId);
                return new SeeOther($"{back}?da=tam-dung&nv={taskId}");
            case LadderActionForm.Release:
                var released = await desk.ReleaseAsync(id, taskId, unitId, cancellationToken);
                if (!released.IsSuccess)
                {
                    return await ShowAsync(id, unitId, null, new FailedAction(taskId, released.Error!, form), user, desk, files, links, cancellationToken);
                }

                await audit.RecordAsync(user, AuditAction.LadderReleased, cancellationToken, subject: taskId, summary: $"Nhiệm vụ {taskId}", directiveId: id, unitId: unitId);
                return new SeeOther($"{back}?da=tiep-tuc&nv={taskId}");
            default:
                return await ShowAsync(id, unitId, null, new FailedAction(taskId, Error.Validation("action", "invalid-action", "Không rõ việc cần làm; xin bấm lại nút trên trang."), form), user, desk, files, links, cancellationToken);
        }
    }

    internal static async Task<RazorComponentResult> ShowAsync(
        string id, string unitId, UnitLadderNotice? notice, FailedAction? failed, ClaimsPrincipal user, LadderDesk desk, IStoredFiles files, UnitLinkPage links, CancellationToken cancellationToken)
    {
        var view = await desk.ViewAsync(id, unitId, cancellationToken);
        if (!view.IsSuccess)
        {
            return PageResults.Render<MessagePage, Message>(Message.OfficeNotFound("Không tìm thấy đơn vị trong công văn"), StatusCodes.Status404NotFound);
        }

        // The files' names and sizes, only when a version has any (one listing of the unit's blobs).
        var stored = view.Value.Versions.Any(v => v.Attachments.Count > 0)
            ? await files.ListAsync(view.Value.Directive.Id, view.Value.UnitId, cancellationToken)
            : new Dictionary<string, StoredFile>();

        var status = failed is null ? StatusCodes.Status200OK : failed.Error.Kind switch
        {
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        return PageResults.Render<UnitLadderPage, UnitLadderModel>(new UnitLadderModel(view.Value, notice, failed, stored, CanAct: user.IsInRole(OfficeRoles.Code(OfficeRole.VanPhong))) { LinkUrl = links.UrlOf(view.Value) }, status);
    }
}

/// <summary>The form of a ladder action: <c>remind</c>, <c>hold</c> (through a day, dd/MM/yyyy, with a note) or <c>release</c>.</summary>
public sealed record LadderActionForm(string Action, string Through, string Note) : IRequestBody<LadderActionForm>
{
    public const long MaxBody = 4 * 1024;
    public const string Remind = "remind";
    public const string Hold = "hold";
    public const string Release = "release";

    public static readonly LadderActionForm Empty = new(string.Empty, string.Empty, string.Empty);

    public static bool ReadsJson => false;

    public static bool ReadsForm => true;

    public static LadderActionForm FromForm(IFormCollection form) => new(form["action"].ToString(), form["through"].ToString().Trim(), form["note"].ToString());
}

/// <summary>An action refused on one task: the problem, and what was typed (kept in the form).</summary>
public sealed record FailedAction(string TaskId, Error Error, LadderActionForm Typed);

/// <summary>What was just done, from the query string after a successful post: <c>da</c> (nhac, tam-dung, tiep-tuc), <c>nv</c> (the task), <c>gui</c> (the email sent).</summary>
public sealed record UnitLadderNotice(string? Done, string? TaskId, string? EmailId);

/// <summary>
/// The unit's page: the ladders and what the unit sent (with its stored files, by path), what was
/// just done, an action refused, and whether the person may act on the ladders (<see cref="CanAct"/>:
/// văn phòng; the standing committee reads).
/// </summary>
public sealed record UnitLadderModel(UnitLadders View, UnitLadderNotice? Notice, FailedAction? Failed, IReadOnlyDictionary<string, StoredFile> Files, bool CanAct)
{
    /// <summary>What the unit sent for <paramref name="task"/>, newest first, each version with its files.</summary>
    public IReadOnlyList<VersionLine> Sent(TaskLadder task) =>
        View.SentFor(task.Task.Id).Select(v => new VersionLine(v, v.Attachments.Select((path, i) => FileLine.Of(View.Directive.Id, View.UnitId, v, i, Files.GetValueOrDefault(path))).ToList())).ToList();
    /// <summary>The unit's link in force, to hand out (the office's own copy of what the emails carry).</summary>
    public string? LinkUrl { get; init; }

    /// <summary>A fresh key for the "send the link again" form as rendered now: the same form posted twice is one email.</summary>
    public string PressKey { get; } = System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true);

    /// <summary>The sentence saying what was just done, or none.</summary>
    public string? NoticeText
    {
        get
        {
            if (Notice is not { } n)
            {
                return null;
            }

            var task = View.Tasks.FirstOrDefault(t => t.Task.Id.Value == n.TaskId);
            var number = task?.Task.Id.Value[1..];
            var email = n.EmailId is { } id ? View.Emails.FirstOrDefault(e => e.Id == id) : null;
            return n.Done switch
            {
                "nhac" when task is not null => email is not null ? $"Đã nhắc đơn vị về nhiệm vụ {number}: {OutboxNotes.Describe(email)}" : $"Đã nhắc đơn vị về nhiệm vụ {number}.",
                "tam-dung" when task?.Ladder.Hold is { } hold => $"Đã tạm dừng nhắc nhiệm vụ {number} đến hết ngày {VietnamTime.Format(hold.Through)}.",
                "tiep-tuc" when task is not null => $"Đã tiếp tục nhắc nhiệm vụ {number}; lần kiểm tra hạn tới sẽ xem lại.",
                "gui-duong-dan" when email is not null => $"Đã gửi lại đường dẫn cho đơn vị: {OutboxNotes.Describe(email)}",
                "cap-lai" when email is not null => $"Đã cấp đường dẫn mới cho đơn vị; đường dẫn cũ không còn dùng được. Thư gửi đường dẫn mới: {OutboxNotes.Describe(email)}",
                "cap-lai" => "Đã cấp đường dẫn mới cho đơn vị; đường dẫn cũ không còn dùng được. Không gửi được thư: đơn vị, đơn vị cấp trên và Văn phòng đều chưa có địa chỉ thư điện tử — xin gửi đường dẫn mới cho đơn vị bằng cách khác.",
                null when email is not null => $"Gửi lại thư “{email.Content.Subject}”: {OutboxNotes.Describe(email)}",
                _ => null,
            };
        }
    }

    /// <summary>Where the unit's own mail goes, in words.</summary>
    public string Reach => View.Reach.Redirect switch
    {
        _ when !View.Reach.HasAnyone => "Đơn vị, đơn vị cấp trên và Văn phòng đều chưa có địa chỉ thư điện tử: không gửi được thư nhắc.",
        Redirect.UnitToParent => $"Đơn vị chưa có địa chỉ thư điện tử: thư nhắc gửi qua {View.Reach.Reader?.Name} ({string.Join(", ", View.Reach.To)}).",
        Redirect.UnitToOffice => $"Đơn vị chưa có địa chỉ thư điện tử: thư nhắc gửi về Văn phòng ({string.Join(", ", View.Reach.To)}).",
        _ => $"Thư nhắc gửi tới: {string.Join(", ", View.Reach.To)}.",
    };

    public static string FieldName(string field) => field switch
    {
        "through" => "Tạm dừng đến hết ngày",
        "note" => "Lý do",
        _ => "Yêu cầu",
    };

    /// <summary>A task's standing in words (days counted as the office chose), and its style.</summary>
    public (string Css, string Text) Describe(AssignmentStanding s)
    {
        var days = View.Days.UnitName;
        return s.State switch
        {
            AssignmentState.SubmittedOnTime => ("ok", $"Hoàn thành đúng hạn{(s.CompletedAt is { } at ? " lúc " + VietnamTime.FormatDateTime(at) : string.Empty)}"),
            AssignmentState.SubmittedLate => ("late", $"Hoàn thành muộn {Format.Count(s.DaysOverdue)} {days}{(s.CompletedAt is { } at ? " (lúc " + VietnamTime.FormatDateTime(at) + ")" : string.Empty)}"),
            AssignmentState.Overdue => ("late", $"Quá hạn {Format.Count(s.DaysOverdue)} {days}, chưa hoàn thành" + (s.LatestStatus == SubmissionStatus.InProgress ? " (đang thực hiện)" : string.Empty)),
            _ => ("warn", s.LatestStatus == SubmissionStatus.InProgress ? "Đang thực hiện, chưa đến hạn" : "Chưa báo cáo, chưa đến hạn"),
        };
    }
}
