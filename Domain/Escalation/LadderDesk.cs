using ServerlessWorkflow.Domain.Calendar;
using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;
using ServerlessWorkflow.Domain.Submissions;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Escalation;

/// <summary>Where one task of a unit stands on its ladder: the standing, the steps recorded with their emails, a hold, and the next step the timer will send, when.</summary>
public sealed record TaskLadder(DirectiveTask Task, AssignmentStanding Standing, LadderState Ladder, IReadOnlyList<StepRecord> History, LadderStep? NextStep, DateTimeOffset? NextAt)
{
    public AssignmentKey Key => Ladder.Key;
}

/// <summary>
/// A unit's ladders for one directive, where its emails go, and every version it sent for the
/// directive's tasks (as stored; the page shows them newest first); days late or overdue counted as <see cref="Days"/> says.
/// </summary>
public sealed record UnitLadders(
    Directive Directive, UnitId UnitId, Unit? Unit, Recipients Reach, IReadOnlyList<TaskLadder> Tasks, IReadOnlyList<OutboxEntry> Emails, DateTimeOffset Now,
    IReadOnlyList<SubmissionVersion> Versions, DayCount Days)
{
    /// <summary>The versions the unit sent for <paramref name="task"/>, newest first.</summary>
    public IReadOnlyList<SubmissionVersion> SentFor(TaskId task) =>
        Versions.Where(v => v.TaskId == task).OrderByDescending(v => v.At).ThenByDescending(v => v.VersionId, StringComparer.Ordinal).ToList();

    /// <summary>The directive's closure, when the office has closed it.</summary>
    public DirectiveClosure? Closure { get; init; }

    /// <summary>The unit's link version in force (raised each time the office reissues the link).</summary>
    public int LinkVersion { get; init; } = Links.UnitLink.FirstVersion;
}

/// <summary>
/// The office's hand on a unit's ladder, beside the timer: send the unit a reminder now (recorded in
/// the outbox like any step; it is the ladder's own step when one is due today, so the timer never
/// sends that step a second time, and at most one reminder by hand a day), hold the ladder through a
/// day (the unit phoned and asked for time: nothing is sent until the day after), take the hold
/// off, and send a failed email again (to the address the unit list gives now). Every change is
/// conditional on the version read, like the timer's.
/// </summary>
public sealed class LadderDesk(
    IEscalationStore store,
    IDirectiveStore directives,
    ISubmissionStore submissions,
    UnitRegistry units,
    DeadlineCheck check,
    OfficeAddresses office,
    TimeProvider time,
    IDirectiveStateStore states)
{
    public const int MaxHoldDays = 90;
    public const int MaxNoteLength = 300;
    private const int Attempts = 3;

    public async Task<Result<UnitLadders>> ViewAsync(string? directiveId, string? unitId, CancellationToken cancellationToken)
    {
        var directive = DirectiveId.Parse(directiveId).IsSuccess ? await directives.GetAsync(DirectiveId.Parse(directiveId).Value, cancellationToken) : null;
        var unit = UnitId.Parse(unitId);
        if (directive is null || !unit.IsSuccess || directive.Tasks.All(t => !t.Units.Contains(unit.Value)))
        {
            return Error.NotFound("assignment-not-found", "Không tìm thấy đơn vị trong công văn này.");
        }

        var now = time.GetUtcNow();
        var tree = await units.TreeAsync(cancellationToken);
        var versions = await submissions.ListAsync(directive.Id, unit.Value, cancellationToken);
        var ladders = (await store.LaddersAsync(directive.Id, cancellationToken)).ToDictionary(l => l.Key);
        var emails = (await store.OutboxAsync(directive.Id.Value, cancellationToken)).Where(e => e.Assignments.Any(a => a.UnitId == unit.Value)).ToList();
        var rule = await check.RuleAsync(cancellationToken);
        var days = rule.Days ?? DayCount.InCalendarDays;
        var tasks = new List<TaskLadder>();
        foreach (var task in directive.Tasks.Where(t => t.Units.Contains(unit.Value)))
        {
            var key = new AssignmentKey(directive.Id, task.Id, unit.Value);
            var ladder = ladders.GetValueOrDefault(key) ?? LadderState.Empty(key);
            var standing = AssignmentStanding.Evaluate(task.Deadline, versions.Where(v => v.TaskId == task.Id), now, days);
            var completed = standing.State is AssignmentState.SubmittedOnTime or AssignmentState.SubmittedLate;
            (LadderStep? next, DateTimeOffset? at) = completed || !task.Escalates ? (null, null) : Ladder.Upcoming(rule, task.Due, ladder, Previous(ladder, emails), now);
            tasks.Add(new TaskLadder(task, standing, ladder, EscalationHistory.Of(ladder, emails.Where(e => e.Carries(key))), next, at));
        }

        return new UnitLadders(directive, unit.Value, tree.Find(unit.Value), Addressing.Resolve(Audience.Unit(unit.Value), tree, office), tasks, emails.OrderByDescending(e => e.CreatedAt).ToList(), now, versions, days)
        {
            Closure = await states.ClosureAsync(directive.Id, cancellationToken),
            LinkVersion = await states.LinkVersionAsync(directive.Id, unit.Value, cancellationToken),
        };
    }

    /// <summary>Sends the unit a reminder about one task now: the email decided, waiting for the sender.</summary>
    public async Task<Result<OutboxEntry>> RemindAsync(string? directiveId, string? taskId, string? unitId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(directiveId, taskId, unitId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (directive, task, key) = found.Value;
        if (await states.ClosureAsync(directive.Id, cancellationToken) is { } closure)
        {
            return Error.Conflict("directive-closed", $"Công văn đã kết thúc ngày {closure.Day}; không nhắc đơn vị nữa. Muốn nhắc, xin mở lại công văn trước.");
        }

        if (Unreminded(task) is { } refusal)
        {
            return refusal;
        }

        var tree = await units.TreeAsync(cancellationToken);
        var rule = await check.RuleAsync(cancellationToken);
        var linkVersion = await states.LinkVersionAsync(directive.Id, key.UnitId, cancellationToken);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var now = time.GetUtcNow();
            var ladder = await store.LadderAsync(key, cancellationToken);
            var manual = Ladder.Manual(rule, task.Due, ladder.Value, await CompletedAsync(directive, task, key.UnitId, now, cancellationToken), now);
            if (!manual.IsSuccess)
            {
                return manual.Error!;
            }

            var (step, skip) = manual.Value;
            var email = check.Compose(rule, step, Audience.Unit(key.UnitId), directive, [(key, task)], tree, now, linkVersion).Entry;
            if (email.To.Count == 0)
            {
                return Error.Conflict("no-recipient", "Không gửi được: đơn vị, đơn vị cấp trên và Văn phòng đều chưa có địa chỉ thư điện tử.");
            }

            var change = new LadderChange(ladder, ladder.Value.With(skip, step, email.Id, now), task.Escalates ? now : null, null);
            var written = await store.RecordAsync([change], email, cancellationToken);
            if (written.IsSuccess)
            {
                return email;
            }
        }

        return Busy();
    }

    /// <summary>Holds the ladder of one task through <paramref name="through"/> (dd/MM/yyyy, today to <see cref="MaxHoldDays"/> days ahead): nothing is sent until the day after.</summary>
    public async Task<Result<LadderHold>> HoldAsync(string? directiveId, string? taskId, string? unitId, string? through, string? note, CancellationToken cancellationToken)
    {
        var found = await FindAsync(directiveId, taskId, unitId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        if (Unreminded(found.Value.Task) is { } refusal)
        {
            return refusal;
        }

        var now = time.GetUtcNow();
        var today = VietnamTime.DateOf(now);
        var v = new Validation();
        var day = VietnamTime.TryParseDate(through, out var written) || DateOnly.TryParseExact((through ?? string.Empty).Trim(), "yyyy-MM-dd", out written) ? written : (DateOnly?)null;
        if (day is null)
        {
            v.Add("through", string.IsNullOrWhiteSpace(through) ? "required" : "invalid-date", "Ngày tạm dừng đến phải viết dạng ngày/tháng/năm, ví dụ 15/03/2026.");
        }
        else if (day < today || day > today.AddDays(MaxHoldDays))
        {
            v.Add("through", "out-of-range", $"Chỉ tạm dừng được từ hôm nay ({VietnamTime.Format(today)}) đến tối đa {MaxHoldDays} ngày sau.");
        }

        var cleanNote = v.Take(Text.Clean(note, "note", MaxNoteLength, required: false), "note");
        if (v.HasErrors)
        {
            return v.ToError();
        }

        var (directive, task, key) = found.Value;
        if (await CompletedAsync(directive, task, key.UnitId, now, cancellationToken))
        {
            return Error.Conflict("already-completed", "Đơn vị đã hoàn thành nhiệm vụ này; không cần tạm dừng nhắc.");
        }

        var hold = new LadderHold(day!.Value, cleanNote ?? string.Empty, now);
        return await ChangeAsync(key, ladder => ladder with { Hold = hold }, null, cancellationToken) is { IsSuccess: false } failed ? failed.Error! : hold;
    }

    /// <summary>Takes the office's hold off one task's ladder: the next run looks at it again.</summary>
    public async Task<Result<bool>> ReleaseAsync(string? directiveId, string? taskId, string? unitId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(directiveId, taskId, unitId, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var (_, task, key) = found.Value;
        if ((await store.LadderAsync(key, cancellationToken)).Value.Hold is null)
        {
            return Error.Conflict("not-held", "Việc nhắc nhiệm vụ này của đơn vị không bị tạm dừng.");
        }

        return await ChangeAsync(key, ladder => ladder with { Hold = null }, task.Escalates ? time.GetUtcNow() : null, cancellationToken);
    }

    /// <summary>Why nothing is sent about <paramref name="task"/>, neither by the ladder nor by hand: it is cancelled, or has no deadline; null when it may be.</summary>
    private static Error? Unreminded(DirectiveTask task) =>
        task.Cancelled is not null ? Error.Conflict("task-cancelled", "Nhiệm vụ đã hủy; không nhắc đơn vị nữa.")
        : task.Deadline is null ? Error.Conflict("no-deadline", "Nhiệm vụ không có hạn: chỉ theo dõi, không nhắc.")
        : null;

    /// <summary>Sends a failed email again: addressed and written as the unit list and the ladder say now, under the same id (so never a second copy of its step).</summary>
    public async Task<Result<OutboxEntry>> ResendAsync(string? scope, string? emailId, CancellationToken cancellationToken)
    {
        var notFound = Error.NotFound("email-not-found", "Không tìm thấy thư.");
        if (string.IsNullOrEmpty(emailId) || emailId.Length > 64 || !emailId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            || (scope != OutboxEntry.OfficeScope && !DirectiveId.Parse(scope).IsSuccess)
            || await store.EmailAsync(scope!, emailId, cancellationToken) is not { } read)
        {
            return notFound;
        }

        var now = time.GetUtcNow();
        var email = read.Value;
        if (email.State != OutboxState.Failed)
        {
            return Error.Conflict("not-failed", "Chỉ gửi lại được thư gửi lỗi.");
        }

        if (email.ExpiresAt is { } expires && now >= expires)
        {
            return Error.Conflict("expired", "Thư nhắc trước hạn này không còn phù hợp (đã đến hạn hoặc đã có thư nhắc sau); không gửi lại.");
        }

        var tree = await units.TreeAsync(cancellationToken);
        var again = email;
        if (email.Assignments.Count > 0 && LadderStep.Parse(email.Step) is { } step && await directives.GetAsync(email.Assignments[0].DirectiveId, cancellationToken) is { } directive)
        {
            var assignments = email.Assignments.Where(k => directive.FindTask(k.TaskId) is not null).Select(k => (Key: k, Task: directive.FindTask(k.TaskId)!)).ToList();
            if (assignments.Count > 0)
            {
                var linkVersion = email.Audience is { Kind: AudienceKind.Unit, UnitId: { } unit } ? await states.LinkVersionAsync(directive.Id, unit, cancellationToken) : Links.UnitLink.FirstVersion;
                var fresh = check.Compose(await check.RuleAsync(cancellationToken), step, email.Audience, directive, assignments, tree, now, linkVersion).Entry;
                again = email with { To = fresh.To, Cc = fresh.Cc, Content = fresh.Content };
            }
        }
        else
        {
            var recipients = Addressing.Resolve(email.Audience, tree, office);
            again = email with { To = recipients.To, Cc = recipients.Cc };
        }

        if (again.To.Count == 0)
        {
            return Error.Conflict("no-recipient", "Không gửi được: chưa có địa chỉ thư điện tử nào để gửi tới.");
        }

        again = again with { State = OutboxState.Pending, Note = OutboxNote.Resent, Attempts = 0, NextAttemptAt = null, SettledAt = null, Result = null };
        var written = await store.UpdateOutboxAsync(again, read.Version, cancellationToken);
        return written.IsSuccess ? again : Busy();
    }

    private static Error Busy() => Error.Conflict("busy", "Dữ liệu vừa được cập nhật cùng lúc; xin tải lại trang rồi thử lại.");

    private static PreviousStep Previous(LadderState ladder, IReadOnlyList<OutboxEntry> emails)
    {
        if (Ladder.Awaited(ladder) is not { } awaited || !ladder.Marks.TryGetValue(awaited.Name, out var mark))
        {
            return PreviousStep.None;
        }

        return emails.FirstOrDefault(e => e.Id == mark.EmailId) is { } email
            ? email.WentOutAt is { } at ? PreviousStep.WentOut(at) : PreviousStep.StillWaiting
            : mark.At is { } decided ? PreviousStep.WentOut(decided) : PreviousStep.None;
    }

    private async Task<Result<bool>> ChangeAsync(AssignmentKey key, Func<LadderState, LadderState> change, DateTimeOffset? nextDueAt, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var ladder = await store.LadderAsync(key, cancellationToken);
            if ((await store.RecordAsync([new LadderChange(ladder, change(ladder.Value), nextDueAt, null)], null, cancellationToken)).IsSuccess)
            {
                return true;
            }
        }

        return Busy();
    }

    private async Task<bool> CompletedAsync(Directive directive, DirectiveTask task, UnitId unit, DateTimeOffset now, CancellationToken cancellationToken) =>
        AssignmentStanding.Evaluate(task.Deadline, (await submissions.ListAsync(directive.Id, unit, cancellationToken)).Where(v => v.TaskId == task.Id), now).State
            is AssignmentState.SubmittedOnTime or AssignmentState.SubmittedLate;

    private async Task<Result<(Directive Directive, DirectiveTask Task, AssignmentKey Key)>> FindAsync(string? directiveId, string? taskId, string? unitId, CancellationToken cancellationToken)
    {
        var notFound = Error.NotFound("assignment-not-found", "Không tìm thấy nhiệm vụ của đơn vị trong công văn này.");
        if (DirectiveId.Parse(directiveId) is not { IsSuccess: true } id || TaskId.Parse(taskId) is not { IsSuccess: true } task
            || UnitId.Parse(unitId) is not { IsSuccess: true } unit
            || await directives.GetAsync(id.Value, cancellationToken) is not { } directive
            || directive.FindTask(task.Value) is not { } found || !found.Units.Contains(unit.Value))
        {
            return notFound;
        }

        return (directive, found, new AssignmentKey(directive.Id, found.Id, unit.Value));
    }
}
