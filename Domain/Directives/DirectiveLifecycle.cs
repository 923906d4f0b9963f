using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Escalation;
using ServerlessWorkflow.Domain.Links;
using ServerlessWorkflow.Domain.Time;
using ServerlessWorkflow.Domain.Units;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// A directive the office closed (kết thúc): when, by whom (the signed-in person's name, for the
/// office's pages), and the office's note. A closed directive sends nothing more (reminders, steps,
/// the digest), its units' links only show what was sent, and it leaves the working lists.
/// </summary>
public sealed record DirectiveClosure(DateTimeOffset ClosedAt, string ClosedBy, string? Note)
{
    public const int MaxNoteLength = 500;

    /// <summary>The Vietnam day it was closed, as a clerk writes it.</summary>
    public string Day => VietnamTime.Format(VietnamTime.DateOf(ClosedAt));

    /// <summary>What a unit reads on its page, and what refuses its reports.</summary>
    public string UnitNotice => $"Công văn đã kết thúc ngày {Day}; không nhận thêm báo cáo.";

    /// <summary>What the office reads where it would send a unit's figures for it.</summary>
    public string OfficeUploadNotice => $"Công văn đã kết thúc ngày {Day}: không nhận thêm số liệu, kể cả văn phòng gửi thay đơn vị.";

    /// <summary>The refusal of a report, an upload or an office action on a closed directive (409, code <c>directive-closed</c>).</summary>
    public Error Refusal => Error.Conflict("directive-closed", UnitNotice);
}

/// <summary>
/// What changes about a registered directive beside its content: whether the office closed it, and
/// each unit's link version (raised when the office revokes the unit's link and issues a new one,
/// without rotating the signing key). Never cached: a closure or a new link takes effect on the next
/// request of every instance.
/// </summary>
public interface IDirectiveStateStore
{
    /// <summary>The directive's closure, or none while it is open.</summary>
    Task<DirectiveClosure?> ClosureAsync(DirectiveId id, CancellationToken cancellationToken);

    /// <summary>Every closed directive (one partition query), for the office's lists.</summary>
    Task<IReadOnlyDictionary<DirectiveId, DirectiveClosure>> ClosuresAsync(CancellationToken cancellationToken);

    /// <summary>Records the closure unless the directive is closed already; the closure in force either way, and whether this call closed it.</summary>
    Task<(DirectiveClosure Closure, bool Closed)> CloseAsync(DirectiveId id, DirectiveClosure closure, CancellationToken cancellationToken);

    /// <summary>Removes the closure; false when the directive was not closed.</summary>
    Task<bool> ReopenAsync(DirectiveId id, CancellationToken cancellationToken);

    /// <summary>The unit's link version for the directive (<see cref="UnitLink.FirstVersion"/> until reissued).</summary>
    Task<int> LinkVersionAsync(DirectiveId id, UnitId unit, CancellationToken cancellationToken);

    /// <summary>The link versions of the directive's units that were ever reissued (the others are at <see cref="UnitLink.FirstVersion"/>).</summary>
    Task<IReadOnlyDictionary<UnitId, int>> LinkVersionsAsync(DirectiveId id, CancellationToken cancellationToken);

    /// <summary>Raises the unit's link version from <paramref name="from"/> to the next, conditionally: Conflict when it is no longer <paramref name="from"/>.</summary>
    Task<Result<int>> RaiseLinkVersionAsync(DirectiveId id, UnitId unit, int from, CancellationToken cancellationToken);
}

/// <summary>
/// The office closes a directive (with a note), or opens it again when it closed it by mistake.
/// Closing is idempotent (closing a closed directive changes nothing). Nothing is removed from the
/// index by due time: the deadline check drops the entries of a closed directive as it meets them,
/// and the sender skips any email of it still waiting — a run racing the close sends nothing after
/// it. Reopening puts every reminded assignment back on the index at once; the check then decides
/// each ladder from stored state as usual (steps whose moment passed while closed are skipped or
/// sent as the ladder's own rules say).
/// </summary>
public sealed class DirectiveLifecycle(IDirectiveStore directives, IDirectiveStateStore states, IEscalationStore escalations, TimeProvider time)
{
    /// <summary>Closes the directive; the directive, its closure in force, and whether this call closed it.</summary>
    public async Task<Result<(Directive Directive, DirectiveClosure Closure, bool Changed)>> CloseAsync(string? id, string closedBy, string? note, CancellationToken cancellationToken)
    {
        var text = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (text is { Length: > DirectiveClosure.MaxNoteLength })
        {
            return Error.Validation("note", "too-long", $"Ghi chú dài tối đa {DirectiveClosure.MaxNoteLength} ký tự.");
        }

        if (await FindAsync(id, cancellationToken) is not { } directive)
        {
            return NotFound;
        }

        var (closure, closed) = await states.CloseAsync(directive.Id, new DirectiveClosure(time.GetUtcNow(), closedBy, text), cancellationToken);
        return (directive, closure, closed);
    }

    /// <summary>Opens a closed directive again; the directive and whether this call opened it.</summary>
    public async Task<Result<(Directive Directive, bool Changed)>> ReopenAsync(string? id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } directive)
        {
            return NotFound;
        }

        var now = time.GetUtcNow();
        // Back on the index first (an entry that finds nothing to do is put off to its time), then open.
        await escalations.ScheduleAsync(
            directive.Tasks.Where(t => t.Escalates).SelectMany(t => t.Units.Select(u => new DueEntry(new AssignmentKey(directive.Id, t.Id, u), now))),
            cancellationToken);
        return (directive, await states.ReopenAsync(directive.Id, cancellationToken));
    }

    public Task<DirectiveClosure?> ClosureAsync(DirectiveId id, CancellationToken cancellationToken) => states.ClosureAsync(id, cancellationToken);

    private static Error NotFound => Error.NotFound("directive-not-found", "Không tìm thấy công văn.");

    private async Task<Directive?> FindAsync(string? id, CancellationToken cancellationToken) =>
        DirectiveId.Parse(id) is { IsSuccess: true } parsed ? await directives.GetAsync(parsed.Value, cancellationToken) : null;
}
