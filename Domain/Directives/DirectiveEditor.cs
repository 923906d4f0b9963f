using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// Storage of a directive's edits. The directive is read uncached with its version; an edit is
/// saved — the directive, the assignment rows it adds or takes off, and the change for the history —
/// only if nobody saved another edit since that version (Conflict otherwise), all at once.
/// </summary>
public interface IDirectiveEditStore
{
    Task<Versioned<Directive>?> GetVersionedAsync(DirectiveId id, CancellationToken cancellationToken);

    Task<Result<bool>> SaveEditAsync(DirectiveEdited edited, StoredVersion readAt, CancellationToken cancellationToken);

    /// <summary>The directive's changes since registration, oldest first; none without reading anything when it was never edited (revision 0, as most are).</summary>
    Task<IReadOnlyList<DirectiveChange>> ChangesAsync(Directive directive, CancellationToken cancellationToken);
}

/// <summary>
/// Telling the units of an edit that adds units to tasks (<see cref="Escalation.UnitNotices"/> is the
/// one): before the edit is stored, what a repair needs should the process stop part-way; after it,
/// each added unit's email with its link, its tasks and their deadlines.
/// </summary>
public interface IDirectiveNotices
{
    /// <summary>Units are about to be added to tasks of the directive (called before the edit is stored).</summary>
    Task UnitsAddingAsync(DirectiveId directive, CancellationToken cancellationToken);

    /// <summary>Units were added to tasks of <paramref name="directive"/> (as it is after the edit): <paramref name="links"/> holds one link per added unit.</summary>
    Task UnitsAddedAsync(Directive directive, IReadOnlyList<AssignmentKey> added, IReadOnlyList<IssuedLink> links, CancellationToken cancellationToken);
}

/// <summary>An edit saved: what changed, and one new link per unit added to the directive.</summary>
public sealed record EditSaved(DirectiveEdited Edited, IReadOnlyList<IssuedLink> NewLinks);

/// <summary>
/// Edits registered directives for the office (<see cref="DirectiveEdits"/> has the rules). An edit
/// names the revision it was made from: when another edit was saved since, nothing is saved and the
/// answer is the Conflict <see cref="StaleCode"/> (the caller shows the current version). A closed
/// directive is not edited (Conflict <c>directive-closed</c>: open it again first). After saving, the
/// ladder follows: each assignment of a task with a new deadline, and each added one, gets an entry
/// in the deadline check's index at its first step; an extended task's reminders are cleared from its
/// ladders so the new deadline is reminded about again (the escalation steps already sent stay
/// recorded and are not sent again); units taken off a task, or a cancelled task, are dropped by the
/// check when their entries come up. Then the office's read models follow
/// (<see cref="Progress.ProgressProjector.EditedAsync"/>), and units added are told
/// (<see cref="IDirectiveNotices"/>, warned before the edit is stored), each with its link of the
/// unit's current version.
/// </summary>
public sealed class DirectiveEditor(
    IDirectiveEditStore store,
    DirectiveRegistry registry,
    UnitRegistry units,
    IEscalationStore escalations,
    Calendar.ICalendarSource calendars,
    IDirectiveStateStore states,
    Progress.ProgressProjector progress,
    TimeProvider time,
    IDirectiveNotices? notices = null)
{
    public const string StaleCode = "stale-version";

    public static readonly Error Stale = Error.Conflict(StaleCode, "Công văn vừa được người khác sửa; các thay đổi chưa được lưu.");

    /// <summary>The code of the refusal to edit a closed directive (as a unit's report on it is refused).</summary>
    public const string ClosedCode = "directive-closed";

    /// <summary>Why a closed directive is not edited (409, <see cref="ClosedCode"/>).</summary>
    public static Error ClosedRefusal(DirectiveClosure closure) =>
        Error.Conflict(ClosedCode, $"Công văn đã kết thúc ngày {closure.Day}; không sửa được nữa. Muốn sửa, xin mở lại công văn trước.");

    /// <summary>The directive as it is now, with its deadlines in working days counted with the calendar in force.</summary>
    public async Task<Versioned<Directive>?> CurrentAsync(DirectiveId id, CancellationToken cancellationToken)
    {
        if (await store.GetVersionedAsync(id, cancellationToken) is not { } read)
        {
            return null;
        }

        var calendar = await calendars.CurrentAsync(cancellationToken);
        return read with { Value = read.Value.WithDeadlinesFrom(calendar) };
    }

    /// <summary>The directive's closure, or none while it may be edited.</summary>
    public Task<DirectiveClosure?> ClosureAsync(DirectiveId id, CancellationToken cancellationToken) => states.ClosureAsync(id, cancellationToken);

    public async Task<Result<EditSaved>> EditAsync(DirectiveId id, int? fromRevision, DirectiveEditInput input, string by, CancellationToken cancellationToken)
    {
        if (await CurrentAsync(id, cancellationToken) is not { Version: { } version } read)
        {
            return Error.NotFound("directive-not-found", "Không tìm thấy công văn.");
        }

        if (fromRevision is { } expected && expected != read.Value.Revision)
        {
            return Stale;
        }

        if (await states.ClosureAsync(id, cancellationToken) is { } closure)
        {
            return ClosedRefusal(closure);
        }

        var tree = await units.TreeAsync(cancellationToken);
        var calendar = await calendars.CurrentAsync(cancellationToken);
        var edited = DirectiveEdits.Apply(read.Value, input, tree, by, time.GetUtcNow(), calendar, await registry.TemplatesForAsync(input.NewTasks, cancellationToken));
        if (!edited.IsSuccess)
        {
            return edited.Error!;
        }

        if (edited.Value.Added.Count + edited.Value.Removed.Count > DirectiveEdits.MaxAssignmentsPerEdit)
        {
            return Error.Validation("tasks", "too-many-units", $"Một lần sửa chỉ thêm hoặc bỏ tối đa {DirectiveEdits.MaxAssignmentsPerEdit} lượt giao cho đơn vị; xin chia làm nhiều lần.");
        }

        if (edited.Value.Added.Count > 0 && notices is not null)
        {
            await notices.UnitsAddingAsync(id, cancellationToken);
        }

        var saved = await store.SaveEditAsync(edited.Value, version, cancellationToken);
        if (!saved.IsSuccess)
        {
            return Stale;
        }

        var after = edited.Value.After;
        await FollowAsync(edited.Value, calendar, cancellationToken);
        await progress.EditedAsync(edited.Value, cancellationToken);
        var versions = await states.LinkVersionsAsync(after.Id, cancellationToken);
        var newLinks = edited.Value.Added.Select(k => k.UnitId).Distinct().Select(u => registry.LinkFor(after, u, versions)).ToList();
        if (edited.Value.Added.Count > 0 && notices is not null)
        {
            await notices.UnitsAddedAsync(after, edited.Value.Added, newLinks, cancellationToken);
        }

        return new EditSaved(edited.Value, newLinks);
    }

    /// <summary>The ladder after an edit: index entries for new deadlines and new assignments, reminders cleared where the deadline was extended.</summary>
    private async Task FollowAsync(DirectiveEdited edited, Calendar.WorkingCalendar calendar, CancellationToken cancellationToken)
    {
        var after = edited.After;
        var rule = registry.RuleWith(calendar);
        var firstStep = rule.Policy.Steps.First();
        var entries = new List<DueEntry>();
        foreach (var task in after.Tasks.Where(t => t.Escalates && edited.NewDeadlines.Contains(t.Id)))
        {
            var extended = edited.Before.FindTask(task.Id) is { Deadline: { } old } && old != task.Deadline;
            foreach (var unit in task.Units)
            {
                var key = new AssignmentKey(after.Id, task.Id, unit);
                entries.Add(new DueEntry(key, rule.ScheduledAt(firstStep, task.Due)));
                if (extended)
                {
                    await ClearRemindersAsync(key, cancellationToken);
                }
            }
        }

        foreach (var key in edited.Added)
        {
            if (after.FindTask(key.TaskId) is { Escalates: true } task)
            {
                entries.Add(new DueEntry(key, rule.ScheduledAt(firstStep, task.Due)));
            }
        }

        if (entries.Count > 0)
        {
            await escalations.ScheduleAsync(entries.Distinct(), cancellationToken);
        }
    }

    /// <summary>Takes the reminders off an assignment's ladder (the emails stay in the outbox), retrying once if the deadline check wrote it meanwhile.</summary>
    private async Task ClearRemindersAsync(AssignmentKey key, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var ladder = await escalations.LadderAsync(key, cancellationToken);
            var reminders = ladder.Value.Marks.Keys.Where(k => LadderStep.Parse(k) is { Rung: Rung.Reminder }).ToList();
            if (reminders.Count == 0 || ladder.Version is null)
            {
                return;
            }

            var cleared = ladder.Value with { Marks = ladder.Value.Marks.Where(m => !reminders.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal) };
            if ((await escalations.RecordAsync([new LadderChange(ladder, cleared, null, null)], null, cancellationToken)).IsSuccess)
            {
                return;
            }
        }
    }
}
