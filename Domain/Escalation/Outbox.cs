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
public sealed record OutboxEntry
{
    public const string OfficeScope = "office";

    public required string Id { get; init; }

    /// <summary>The directive's id, or <see cref="OfficeScope"/>.</summary>
    public required string Scope { get; init; }

    /// <summary>The ladder step's name (<see cref="LadderStep.Name"/>), or <c>digest</c>.</summary>
    public required string Step { get; init; }

    /// <summary>The assignment's task and unit; none for a digest.</summary>
    public string? TaskId { get; init; }

    public string? UnitId { get; init; }

    public required IReadOnlyList<EmailAddress> To { get; init; }

    public IReadOnlyList<EmailAddress> Cc { get; init; } = [];

    public required EmailContent Content { get; init; }

    public OutboxState State { get; init; } = OutboxState.Pending;

    /// <summary>How many times it was handed to the provider.</summary>
    public int Attempts { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Not before this instant (a throttle or a backoff); none: at once.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>What the provider answered last, for the office (or why nothing was sent).</summary>
    public string? Result { get; init; }

    public bool IsDueForSending(DateTimeOffset now) => State == OutboxState.Pending && (NextAttemptAt is null || NextAttemptAt <= now);
}

/// <summary>An assignment's ladder as stored: the steps already recorded (sent or skipped).</summary>
public sealed record LadderState(AssignmentKey Key, IReadOnlySet<string> Recorded)
{
    public static LadderState Empty(AssignmentKey key) => new(key, new HashSet<string>());
}

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

    /// <summary>The ladder with the version it was read at (no version: nothing recorded yet).</summary>
    Task<Versioned<LadderState>> LadderAsync(AssignmentKey key, CancellationToken cancellationToken);

    /// <summary>Records steps and their outbox entries atomically; moves the index entry from <paramref name="processed"/> to <paramref name="nextDueAt"/>. Conflict when another run got there first.</summary>
    Task<Result<bool>> RecordAsync(Versioned<LadderState> ladder, IReadOnlyList<string> steps, IReadOnlyList<OutboxEntry> entries, DateTimeOffset? nextDueAt, DueEntry processed, CancellationToken cancellationToken);

    /// <summary>Moves (or, with no next time, removes) an index entry when nothing was recorded.</summary>
    Task RescheduleAsync(DueEntry processed, DateTimeOffset? nextDueAt, CancellationToken cancellationToken);

    /// <summary>Adds an office-scope entry (a digest) if absent; false when it already existed.</summary>
    Task<bool> AddOfficeEntryAsync(OutboxEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<LadderState>> LaddersAsync(DirectiveId directive, CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxEntry>> OutboxAsync(string scope, CancellationToken cancellationToken);

    /// <summary>Entries not yet sent, failed or recorded, oldest first (from a small index, not a scan), with the versions they were read at.</summary>
    Task<IReadOnlyList<Versioned<OutboxEntry>>> UnsentAsync(int max, CancellationToken cancellationToken);

    /// <summary>Saves a sending outcome, conditional on the version the entry was read at.</summary>
    Task<Result<bool>> UpdateOutboxAsync(OutboxEntry entry, StoredVersion? readAt, CancellationToken cancellationToken);
}
