using ServerlessWorkflow.Domain.Calendar;

namespace ServerlessWorkflow.Domain.Directives;

/// <summary>
/// The directive store as everyone reads it: a task whose deadline is a term in working days comes
/// back with the term's last day counted with the calendar in force, so a change of the calendar
/// reaches every deadline not yet passed — on the board, the units' pages, the submissions' "late"
/// and the deadline check alike — without rewriting a directive. The calendar is the in-memory copy
/// (<see cref="ICalendarSource"/>): this costs no storage call per directive.
/// </summary>
public sealed class WorkingDayDeadlines(IDirectiveStore inner, ICalendarSource calendars) : IDirectiveStore
{
    public Task CreateAsync(Directive directive, CancellationToken cancellationToken) => inner.CreateAsync(directive, cancellationToken);

    public Task BeginAsync(PendingRegistration pending, Directive directive, CancellationToken cancellationToken) => inner.BeginAsync(pending, directive, cancellationToken);

    public Task PublishAsync(Directive directive, CancellationToken cancellationToken) => inner.PublishAsync(directive, cancellationToken);

    public Task FinishAsync(DirectiveId id, Common.StoredVersion? readAt, CancellationToken cancellationToken) => inner.FinishAsync(id, readAt, cancellationToken);

    public Task<Common.Versioned<PendingRegistration>?> PendingAsync(DirectiveId id, CancellationToken cancellationToken) => inner.PendingAsync(id, cancellationToken);

    public Task<IReadOnlyList<Common.Versioned<PendingRegistration>>> UnfinishedAsync(CancellationToken cancellationToken) => inner.UnfinishedAsync(cancellationToken);

    public async Task<Directive?> GetAsync(DirectiveId id, CancellationToken cancellationToken) =>
        await inner.GetAsync(id, cancellationToken) is { } directive
            ? await CountAsync(directive, cancellationToken)
            : null;

    public async Task<Directive?> GetAsync(DirectiveId id, int revision, CancellationToken cancellationToken) =>
        await inner.GetAsync(id, revision, cancellationToken) is { } directive
            ? await CountAsync(directive, cancellationToken)
            : null;

    public async Task<IReadOnlyList<Directive>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await inner.ListAsync(cancellationToken);
        if (!all.Any(d => d.HasWorkingDayTerms))
        {
            return all;
        }

        var calendar = await calendars.CurrentAsync(cancellationToken);
        return all.Select(d => d.WithDeadlinesFrom(calendar)).ToList();
    }

    private async Task<Directive> CountAsync(Directive directive, CancellationToken cancellationToken) =>
        directive.HasWorkingDayTerms ? directive.WithDeadlinesFrom(await calendars.CurrentAsync(cancellationToken)) : directive;
}
