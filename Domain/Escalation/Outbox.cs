using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;

namespace ServerlessWorkflow.Domain.Escalation;

public enum OutboxState
{
    /// <summary>Decided, not yet handed to the provider (or to be tried again at <see cref="OutboxEntry.NextAttemptAt"/>).</summary>
    Pending,

    /// <summary>The provider accepted it.</summary>
    Sent,

    /// <summary>The provider refused it (4xx) or it kept failing: not tried again; visible to the office.</summary>
    Failed,

    /// <summary>No provider is configured: recorded, not sent.</summary>
    Recorded,
}

/// <summary>
/// An email the system has decided to send. Its id is derived from (assignment, step) — or
/// (office, digest day) — so it exists at most once, whoever decides it and however often.
/// <see cref="Scope"/> is the directive it belongs to, or <see cref="OfficeScope"/> for digests.
/// </summary>
public sealed record OutboxEntry(
    string Id,
    string Scope,
    string Step,
    string? TaskId,
    string? UnitId,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    EmailContent Content,
    OutboxState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? SentAt,
    string? Result,
    string? Version)
{
    public const string OfficeScope = "office";

    public bool IsDueForSending(DateTimeOffset now) => State == OutboxState.Pending && (NextAttemptAt is null || NextAttemptAt <= now);
}

/// <summary>An assignment's ladder as stored: the steps already recorded (sent or skipped) and the storage version it was read at (null when none yet).</summary>
public sealed record LadderState(AssignmentKey Key, IReadOnlySet<string> Recorded, string? Version);

/// <summary>An entry of the index by due time: this assignment needs attention from <see cref="DueAt"/>.</summary>
public sealed record DueEntry(AssignmentKey Key, DateTimeOffset DueAt);

/// <summary>
/// Storage of ladders, the outbox and the index by due time. The one rule that matters:
/// <see cref="RecordAsync"/> writes the ladder's new state and its outbox entries in ONE transaction,
/// conditional on the version read, so a step is either recorded with its email or not at all, and
/// a concurrent or repeated run loses the race instead of adding a second email.
/// </summary>
public interface IEscalationStore
{
    /// <summary>Index entries due at or before <paramref name="now"/>, earliest first — one range query, never a scan.</summary>
    Task<IReadOnlyList<DueEntry>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    Task ScheduleAsync(IEnumerable<DueEntry> entries, CancellationToken cancellationToken);

    Task<LadderState> LadderAsync(AssignmentKey key, CancellationToken cancellationToken);

    /// <summary>Records steps and their outbox entries atomically; moves the index entry from <paramref name="processed"/> to <paramref name="nextDueAt"/>. Conflict when another run got there first.</summary>
    Task<Result<bool>> RecordAsync(LadderState state, IReadOnlyList<string> steps, IReadOnlyList<OutboxEntry> entries, DateTimeOffset? nextDueAt, DueEntry processed, CancellationToken cancellationToken);

    /// <summary>Moves (or, with no next time, removes) an index entry when nothing was recorded.</summary>
    Task RescheduleAsync(DueEntry processed, DateTimeOffset? nextDueAt, CancellationToken cancellationToken);

    /// <summary>Adds an office-scope entry (a digest) if absent; false when it already existed.</summary>
    Task<bool> AddOfficeEntryAsync(OutboxEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<LadderState>> LaddersAsync(DirectiveId directive, CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxEntry>> OutboxAsync(string scope, CancellationToken cancellationToken);

    /// <summary>Entries not yet sent, failed or recorded, oldest first (from a small index, not a scan).</summary>
    Task<IReadOnlyList<OutboxEntry>> UnsentAsync(int max, CancellationToken cancellationToken);

    /// <summary>Saves a sending outcome, conditional on the entry's version.</summary>
    Task<Result<bool>> UpdateOutboxAsync(OutboxEntry entry, CancellationToken cancellationToken);
}
