using ServerlessWorkflow.Domain.Common;
using ServerlessWorkflow.Domain.Directives;

namespace ServerlessWorkflow.Domain.Escalation;

public enum OutboxState
{
    /// <summary>Decided, not yet handed to the provider (or to be tried again at <see cref="OutboxEntry.NextAttemptAt"/>).</summary>
    Pending,

    /// <summary>The provider accepted it.</summary>
    Sent,

    /// <summary>The provider refused it (4xx) or it kept failing: not tried again unless the office resends it.</summary>
    Failed,

    /// <summary>No provider or no sender is configured: recorded, not sent.</summary>
    Recorded,

    /// <summary>Not sent because it no longer made sense when its turn came: a reminder whose deadline had passed, a unit that had completed.</summary>
    Skipped,
}

/// <summary>Why an email is in its state: what the office is told about it (<see cref="OutboxNotes.Describe"/>).</summary>
public enum OutboxNote
{
    /// <summary>Decided by the deadline check or the office, waiting for the sender.</summary>
    Decided,

    /// <summary>The office asked for a failed email to be sent again.</summary>
    Resent,

    /// <summary>The provider asked to slow down (429).</summary>
    Throttled,

    /// <summary>The provider did not answer or answered 5xx; tried again with backoff.</summary>
    Transient,

    /// <summary>The provider took it.</summary>
    Accepted,

    /// <summary>The provider refused it (a 4xx other than 408 and 429).</summary>
    Rejected,

    /// <summary>It kept failing; given up.</summary>
    GaveUp,

    /// <summary>The email itself cannot be sent (no recipient, subject or body).</summary>
    Invalid,

    /// <summary>No provider key is configured: recorded, not sent.</summary>
    NoProvider,

    /// <summary>No sender address is configured: recorded, not sent.</summary>
    NoSender,

    /// <summary>A reminder whose deadline passed before it could be sent.</summary>
    Expired,

    /// <summary>Every unit it was about completed the task before it could be sent.</summary>
    Completed,

    /// <summary>The office closed the directive before it could be sent.</summary>
    Closed,

    /// <summary>A unit's notice carrying a link the office replaced before it could be sent (the new link has its own email).</summary>
    LinkReplaced,
}

/// <summary>
/// An email the system has decided to send. Its id is derived from what it carries — (assignment,
/// step), the assignments of a summary, or (office, digest day) — so it exists at most once,
/// whoever decides it and however often. <see cref="Scope"/> is the directive it belongs to, or
/// <see cref="OfficeScope"/> for digests; <see cref="Assignments"/> are the (task, unit) pairs of
/// that directive whose ladder step it carries.
/// </summary>
public sealed record OutboxEntry
{
    public const string OfficeScope = "office";

    public required string Id { get; init; }

    /// <summary>The directive's id, or <see cref="OfficeScope"/>.</summary>
    public required string Scope { get; init; }

    /// <summary>The ladder step's name (<see cref="LadderStep.Name"/>), or <c>digest</c>.</summary>
    public required string Step { get; init; }

    /// <summary>The assignments whose step this email carries, in the order it lists them; none for a digest.</summary>
    public IReadOnlyList<AssignmentKey> Assignments { get; init; } = [];

    /// <summary>Whom it is meant for, so the office's "send again" can find the address anew (<see cref="Audience"/>).</summary>
    public required Audience Audience { get; init; }

    public required IReadOnlyList<EmailAddress> To { get; init; }

    public IReadOnlyList<EmailAddress> Cc { get; init; } = [];

    public required EmailContent Content { get; init; }

    public OutboxState State { get; init; } = OutboxState.Pending;

    /// <summary>Why it is in its state; none on entries written before notes existed.</summary>
    public OutboxNote? Note { get; init; } = OutboxNote.Decided;

    /// <summary>How many times it was handed to the provider.</summary>
    public int Attempts { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Not before this instant (a throttle or a backoff); none: at once.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Not sent at or after this instant (a reminder: its deadline); none: whenever.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>When it stopped waiting: sent, recorded, failed or skipped.</summary>
    public DateTimeOffset? SettledAt { get; init; }

    /// <summary>The provider's raw answer, for a details line (never shown as the message itself).</summary>
    public string? Result { get; init; }

    public bool IsDueForSending(DateTimeOffset now) => State == OutboxState.Pending && (NextAttemptAt is null || NextAttemptAt <= now);

    /// <summary>Whether it carries <paramref name="key"/>'s step.</summary>
    public bool Carries(AssignmentKey key) => Assignments.Contains(key);

    /// <summary>When the step it carries counts as gone out: sent, or settled otherwise; none while it waits.</summary>
    public DateTimeOffset? WentOutAt => State == OutboxState.Pending ? null : SentAt ?? SettledAt ?? CreatedAt;
}

/// <summary>
/// One step recorded on a ladder: the email that carried it (none when it was skipped), when it was
/// decided, and — for a skipped step — whether it was skipped because nobody could be reached (no
/// address for the unit, its parent, nor the office); otherwise a skipped step's moment had passed.
/// </summary>
public sealed record StepMark(string? EmailId, DateTimeOffset? At, bool NoRecipient = false);

/// <summary>The office held the ladder through <see cref="Through"/> (a Vietnam day), e.g. because the unit asked for time.</summary>
public sealed record LadderHold(DateOnly Through, string Note, DateTimeOffset SetAt);

/// <summary>An assignment's ladder as stored: the steps recorded (sent or skipped), each with its email, and a hold.</summary>
public sealed record LadderState(AssignmentKey Key, IReadOnlyDictionary<string, StepMark> Marks, LadderHold? Hold = null)
{
    public static LadderState Empty(AssignmentKey key) => new(key, new Dictionary<string, StepMark>(StringComparer.Ordinal));

    public IEnumerable<string> Recorded => Marks.Keys;

    public bool Has(LadderStep step) => Marks.ContainsKey(step.Name);

    /// <summary>
    /// The ladder once <paramref name="skipped"/> and <paramref name="sent"/> (carried by
    /// <paramref name="emailId"/>) are recorded at <paramref name="at"/>; <paramref name="unreachable"/>,
    /// one of the skipped, was skipped for want of a recipient.
    /// </summary>
    public LadderState With(IEnumerable<LadderStep> skipped, LadderStep? sent, string? emailId, DateTimeOffset at, LadderStep? unreachable = null)
    {
        var marks = new Dictionary<string, StepMark>(Marks, StringComparer.Ordinal);
        foreach (var skip in skipped)
        {
            marks.TryAdd(skip.Name, new StepMark(null, at, skip == unreachable));
        }

        if (sent is { } step)
        {
            marks[step.Name] = new StepMark(emailId, at);
        }

        return this with { Marks = marks };
    }

    /// <summary>Whether the office's hold is still in force at <paramref name="now"/> under <paramref name="rule"/>.</summary>
    public bool IsHeld(DueRule rule, DateTimeOffset now) => Hold is { } hold && now < rule.ResumesAt(hold.Through);
}

/// <summary>An entry of the index by due time: this assignment needs attention from <see cref="DueAt"/>.</summary>
public sealed record DueEntry(AssignmentKey Key, DateTimeOffset DueAt);

/// <summary>One ladder's change in a recording: its state read (with the version), its new state, when it next needs attention, and the index entry it was found by.</summary>
public sealed record LadderChange(Versioned<LadderState> Before, LadderState After, DateTimeOffset? NextDueAt, DueEntry? Processed);

/// <summary>
/// Storage of ladders, the outbox and the index by due time. The one rule that matters:
/// <see cref="RecordAsync"/> writes the ladders' new states and their email in ONE transaction,
/// each ladder conditional on the version read, so a step is either recorded with its email or not
/// at all, and a concurrent or repeated decision loses the race instead of adding a second email.
/// </summary>
public interface IEscalationStore
{
    /// <summary>Most ladders (and so assignments) one email may carry: the transaction's limit, with room for the email.</summary>
    const int MaxLaddersPerRecording = 90;

    /// <summary>Index entries due at or before <paramref name="now"/>, earliest first — one range query, never a scan.</summary>
    Task<IReadOnlyList<DueEntry>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    Task ScheduleAsync(IEnumerable<DueEntry> entries, CancellationToken cancellationToken);

    /// <summary>The ladder with the version it was read at (no version: nothing recorded yet).</summary>
    Task<Versioned<LadderState>> LadderAsync(AssignmentKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Records ladder changes (all of one directive, at most <see cref="MaxLaddersPerRecording"/>)
    /// and the email that carries them, if any, atomically; moves each index entry to its next time.
    /// Conflict when another writer changed one of the ladders (or added the email) first.
    /// </summary>
    Task<Result<bool>> RecordAsync(IReadOnlyList<LadderChange> changes, OutboxEntry? email, CancellationToken cancellationToken);

    /// <summary>Moves (or, with no next time, removes) an index entry when nothing was recorded.</summary>
    Task RescheduleAsync(DueEntry processed, DateTimeOffset? nextDueAt, CancellationToken cancellationToken);

    /// <summary>Adds an office-scope entry (a digest) if absent; false when it already existed.</summary>
    Task<bool> AddOfficeEntryAsync(OutboxEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<LadderState>> LaddersAsync(DirectiveId directive, CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxEntry>> OutboxAsync(string scope, CancellationToken cancellationToken);

    /// <summary>One email, with the version it was read at; none when there is no such email.</summary>
    Task<Versioned<OutboxEntry>?> EmailAsync(string scope, string id, CancellationToken cancellationToken);

    /// <summary>Entries not yet settled, oldest first (from a small index, not a scan), with the versions they were read at.</summary>
    Task<IReadOnlyList<Versioned<OutboxEntry>>> UnsentAsync(int max, CancellationToken cancellationToken);

    /// <summary>Saves an email's new state, conditional on the version it was read at; an entry pending again goes back on the sender's index.</summary>
    Task<Result<bool>> UpdateOutboxAsync(OutboxEntry entry, StoredVersion? readAt, CancellationToken cancellationToken);

    /// <summary>Adds an email decided outside the ladder (a unit's notice of its tasks and link) if absent; false when it already existed.</summary>
    Task<bool> AddEmailAsync(OutboxEntry entry, CancellationToken cancellationToken);

    /// <summary>Adds each of <paramref name="entries"/> (all of one directive) that is absent, in as few transactions as it can; how many it added.</summary>
    Task<int> AddEmailsAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken);

    /// <summary>Leaves the hint that the units of <paramref name="directive"/> are to be told (<see cref="UnitNotices"/>), written before the directive is stored.</summary>
    Task ExpectNoticesAsync(DirectiveId directive, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Directives whose units may not all have been told yet, with when the hint was left; one small partition, never a scan.</summary>
    Task<IReadOnlyList<(DirectiveId Directive, DateTimeOffset Since)>> ExpectedNoticesAsync(int max, CancellationToken cancellationToken);

    /// <summary>Removes the hint once every unit's notice is in the outbox.</summary>
    Task NoticesDoneAsync(DirectiveId directive, CancellationToken cancellationToken);
}
